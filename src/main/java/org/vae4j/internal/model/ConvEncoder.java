package org.vae4j.internal.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.ConvStack;
import org.vae4j.spec.VaeSpec;

/**
 * The convolutional encoder: the spec's {@link ConvStack} of stride-2 convolutions, a dense layer, and a dense
 * head with the mean in its first half and the raw stddev in its second. With the seed stack (28 x 28 and 32 x 32
 * images by default) it is the design's:
 *
 * <pre>
 * images [N, H, W, C]
 *   conv 64, 4x4, stride 2, same    -> leaky ReLU                 [N, H/2, W/2, 64]
 *   conv 128, 4x4, stride 2, same   -> batch norm -> leaky ReLU   [N, H/4, W/4, 128]
 *   flatten (+ condition)           -> dense 1024 -> batch norm -> leaky ReLU   [N, 1024]
 *   dense 2z -> mean = first half, stddev = 1e-6 + softplus(second half) (or exp(second half / 2))
 * </pre>
 *
 * A deeper stack adds levels of the same kind (conv {@code c}, 4x4, stride 2, batch norm, leaky ReLU); with
 * {@code extra} each level is followed by a 3x3 convolution that keeps its size (batch norm, leaky ReLU); without
 * a dense layer the head reads the flattened features. Layers followed by batch norm have no bias: batch norm's
 * offset takes its place. Variables are named {@code encoder.conv<level>}, {@code encoder.conv<level>.extra},
 * {@code encoder.dense1}, {@code encoder.head}, so the seed stack's names are the design's.
 *
 * <p>A conditional model's condition (a one-hot label, or the observed pixels) joins the flattened features, not
 * the pixels: the convolutions learn strokes and edges, which look alike in every class, while the dense layer
 * forms the global code, which is where knowing the class lets z drop what the label already says.
 */
final class ConvEncoder {
  static final int KERNEL = 4;
  static final int EXTRA_KERNEL = 3;

  private ConvEncoder() {}

  public static Posterior build(Layers l, Operand<TFloat32> images, Operand<TFloat32> condition, VaeSpec spec) {
    Ops tf = l.tf();
    ConvStack stack = spec.convStack();
    int[] channels = stack.channels();
    Operand<TFloat32> x = images;
    for (int level = 1; level <= channels.length; level++) {
      String name = "encoder.conv" + level;
      // the first level keeps its bias and skips batch norm, as the design's conv1
      x = level == 1 ? l.leakyRelu(l.conv2d(name, x, channels[0], KERNEL, 2, Layers.Bias.LEARNED))
          : l.leakyRelu(l.batchNorm(name + ".bn", l.conv2d(name, x, channels[level - 1], KERNEL, 2,
              Layers.Bias.NONE)));
      if (stack.extra()) {
        x = l.leakyRelu(l.batchNorm(name + ".extra.bn", l.conv2d(name + ".extra", x, channels[level - 1],
            EXTRA_KERNEL, 1, Layers.Bias.NONE)));
      }
    }
    int[] f = stack.features(spec.image());
    Operand<TFloat32> flattened = Condition.append(tf, tf.reshape(x, tf.constant(new int[] {-1,
        f[0] * f[1] * f[2]})), condition);
    Operand<TFloat32> hidden = stack.dense() == 0 ? flattened : l.leakyRelu(l.batchNorm("encoder.dense1.bn",
        l.dense("encoder.dense1", flattened, stack.dense(), Layers.Bias.NONE)));
    Operand<TFloat32> head = l.dense("encoder.head", hidden, 2 * spec.latentDim(), Layers.Bias.LEARNED);

    List<Output<TFloat32>> halves = tf.split(tf.constant(1), head, 2L).output();
    return Posterior.of(spec.stddev(), tf, halves.get(0), halves.get(1));
  }
}
