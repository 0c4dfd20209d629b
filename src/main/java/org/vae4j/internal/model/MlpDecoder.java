package org.vae4j.internal.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.VaeSpec;

/**
 * The fully connected decoder, the encoder mirrored: z through dense + ReLU layers of the {@code --hidden} sizes
 * in reverse order, then a dense layer to every pixel's raw output (k values per pixel and channel, as the
 * likelihood needs), reshaped to [N, H, W, k * C]. A conditional model's z arrives with its one-hot label
 * appended.
 */
final class MlpDecoder {
  private MlpDecoder() {}

  public static Operand<TFloat32> output(Layers l, Operand<TFloat32> z, VaeSpec spec) {
    Ops tf = l.tf();
    ImageShape s = spec.image();
    int[] hidden = spec.hidden();
    Operand<TFloat32> h = z;
    for (int i = hidden.length - 1; i >= 0; i--) {
      h = l.relu(l.dense("decoder.dense" + (i + 1), h, hidden[i], Layers.Bias.LEARNED));
    }
    int channels = spec.likelihood().outputsPerChannel() * s.channels();
    Operand<TFloat32> out = l.dense("decoder.output", h, s.height() * s.width() * channels, Layers.Bias.LEARNED);
    return tf.reshape(out, tf.constant(new int[] {-1, s.height(), s.width(), channels}));
  }
}
