package org.vae4j.internal.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.ConvStack;
import org.vae4j.spec.VaeSpec;

/**
 * The convolutional decoder, the encoder's {@link ConvStack} run backwards. It returns the raw output (logits, the
 * sigmoid of which are the pixel means, plus a second block for likelihoods with a per-pixel scale), so
 * likelihoods can be computed stably. With the seed stack:
 *
 * <pre>
 * z [N, latentDim] (a conditional model's condition appended)
 *   dense 1024                    -> batch norm -> ReLU    [N, 1024]
 *   dense (H/4)(W/4)128           -> batch norm -> ReLU -> reshape [N, H/4, W/4, 128]
 *   transposed conv 64, 4x4, s2   -> batch norm -> ReLU    [N, H/2, W/2, 64]
 *   transposed conv kC, 4x4, s2   -> raw output            [N, H, W, kC]  (k outputs per channel)
 * </pre>
 *
 * A deeper stack has one transposed convolution per level, each to the channels of the level below it (batch
 * norm, ReLU; with {@code extra} a 3x3 convolution after each), the last to the raw output; without a dense
 * layer z is projected to the feature map directly. Variables: {@code decoder.dense1}, {@code decoder.dense2}
 * (the projection), {@code decoder.deconv<n>}, {@code decoder.deconv<n>.extra}.
 */
final class ConvDecoder {
  private ConvDecoder() {}

  public static Operand<TFloat32> output(Layers l, Operand<TFloat32> z, VaeSpec spec) {
    Ops tf = l.tf();
    ConvStack stack = spec.convStack();
    int[] channels = stack.channels();
    int[] f = stack.features(spec.image());

    Operand<TFloat32> hidden = stack.dense() == 0 ? z : l.relu(l.batchNorm("decoder.dense1.bn",
        l.dense("decoder.dense1", z, stack.dense(), Layers.Bias.NONE)));
    Operand<TFloat32> wide = l.relu(l.batchNorm("decoder.dense2.bn",
        l.dense("decoder.dense2", hidden, f[0] * f[1] * f[2], Layers.Bias.NONE)));
    Operand<TFloat32> x = tf.reshape(wide, tf.constant(new int[] {-1, f[0], f[1], f[2]}));
    for (int n = 1; n < channels.length; n++) {
      String name = "decoder.deconv" + n;
      int out = channels[channels.length - 1 - n];
      x = l.relu(l.batchNorm(name + ".bn", l.conv2dTranspose(name, x, out, ConvEncoder.KERNEL, 2,
          Layers.Bias.NONE)));
      if (stack.extra()) {
        x = l.relu(l.batchNorm(name + ".extra.bn", l.conv2d(name + ".extra", x, out, ConvEncoder.EXTRA_KERNEL, 1,
            Layers.Bias.NONE)));
      }
    }
    int outputs = spec.likelihood().outputsPerChannel() * spec.image().channels();
    return l.conv2dTranspose("decoder.deconv" + channels.length, x, outputs, ConvEncoder.KERNEL, 2,
        Layers.Bias.LEARNED);
  }
}
