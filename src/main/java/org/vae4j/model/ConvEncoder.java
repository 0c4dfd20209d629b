package org.vae4j.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The convolutional encoder of the design: two stride-2 convolutions, a dense layer, and a dense head with the
 * mean in its first half and the raw stddev in its second.
 *
 * <pre>
 * images [N, H, W, C]
 *   conv 64, 4x4, stride 2, same    -> leaky ReLU                 [N, H/2, W/2, 64]
 *   conv 128, 4x4, stride 2, same   -> batch norm -> leaky ReLU   [N, H/4, W/4, 128]
 *   flatten (+ one-hot label)       -> dense 1024 -> batch norm -> leaky ReLU   [N, 1024]
 *   dense 2z -> mean = first half, stddev = 1e-6 + softplus(second half) (or exp(second half / 2))
 * </pre>
 *
 * Layers followed by batch norm have no bias: batch norm's offset takes its place.
 *
 * <p>A conditional model's one-hot label joins the flattened features, not the pixels: the convolutions learn
 * strokes and edges, which look alike in every class, while the dense layer forms the global code, which is where
 * knowing the class lets z drop what the label already says (style is what remains). Label planes appended to the
 * image would cost conv1 one input channel per class on every pixel and tell it nothing local.
 */
final class ConvEncoder {
  static final int CONV1_FILTERS = 64;
  static final int CONV2_FILTERS = 128;
  static final int HIDDEN = 1024;
  static final int KERNEL = 4;

  private ConvEncoder() {}

  public static Posterior build(Layers l, Operand<TFloat32> images, Operand<TFloat32> condition, VaeSpec spec) {
    Ops tf = l.tf();
    ImageShape s = spec.image();
    int flat = (s.height() / 4) * (s.width() / 4) * CONV2_FILTERS;

    Operand<TFloat32> conv1 = l.leakyRelu(l.conv2d("encoder.conv1", images, CONV1_FILTERS, KERNEL, 2,
        Layers.Bias.LEARNED));
    Operand<TFloat32> conv2 = l.leakyRelu(l.batchNorm("encoder.conv2.bn",
        l.conv2d("encoder.conv2", conv1, CONV2_FILTERS, KERNEL, 2, Layers.Bias.NONE)));
    Operand<TFloat32> flattened = Condition.append(tf, tf.reshape(conv2, tf.constant(new int[] {-1, flat})),
        condition);
    Operand<TFloat32> hidden = l.leakyRelu(l.batchNorm("encoder.dense1.bn",
        l.dense("encoder.dense1", flattened, HIDDEN, Layers.Bias.NONE)));
    Operand<TFloat32> head = l.dense("encoder.head", hidden, 2 * spec.latentDim(), Layers.Bias.LEARNED);

    List<Output<TFloat32>> halves = tf.split(tf.constant(1), head, 2L).output();
    return spec.stddev().posterior(tf, halves.get(0), halves.get(1));
  }
}
