package org.vae4j.internal.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.VaeSpec;

/** Picks the encoder and decoder of a spec's architecture. */
public final class VaeNetwork {
  private VaeNetwork() {}

  public static Posterior encode(Layers layers, Operand<TFloat32> images, VaeSpec spec) {
    return encode(layers, images, null, spec);
  }

  /**
   * q(z|x, c): {@code condition} is the condition row [N, c] of a conditional model ({@link Condition}), null
   * for an unconditional one. A regressor has no encoder: its posterior is the point z = 0 ({@link
   * #pointAtZero}).
   */
  public static Posterior encode(Layers layers, Operand<TFloat32> images, Operand<TFloat32> condition,
      VaeSpec spec) {
    if (spec.regressor()) {
      return pointAtZero(layers.tf(), images, spec.latentDim());
    }
    return switch (spec.architecture()) {
      case CONV -> ConvEncoder.build(layers, images, condition, spec);
      case MLP -> MlpEncoder.build(layers, images, condition, spec);
    };
  }

  /**
   * A regressor's "posterior": mean 0 and stddev 0 for every image, so every code it makes is 0 (which its
   * decoder does not read anyway). Its KL is not the closed form's (log 0): {@link Objective} makes it 0.
   */
  static Posterior pointAtZero(org.tensorflow.op.Ops tf, Operand<TFloat32> images, int latentDim) {
    Operand<TFloat32> zeros = tf.reshape(tf.fill(Shapes.shape(tf, Shapes.batchSize(tf, images), latentDim),
        tf.constant(0f)), tf.constant(new int[] {-1, latentDim}));
    // three ops, not one: a signature may not return one tensor under two names (mean and stddev)
    return new Posterior(tf.identity(zeros), tf.identity(zeros), tf.identity(zeros));
  }

  /** The decoder's raw output [N, H, W, k * C] for latent codes z [N, latentDim]. */
  public static Operand<TFloat32> output(Layers layers, Operand<TFloat32> z, VaeSpec spec) {
    return output(layers, z, null, spec);
  }

  /**
   * The same for p(x|z, c), {@code condition} [N, c] one row per code (null: unconditional). A regressor's
   * decoder reads the condition alone: it has no z.
   */
  public static Operand<TFloat32> output(Layers layers, Operand<TFloat32> z, Operand<TFloat32> condition,
      VaeSpec spec) {
    Operand<TFloat32> input = spec.regressor() ? condition : Condition.append(layers.tf(), z, condition);
    return switch (spec.architecture()) {
      case CONV -> ConvDecoder.output(layers, input, spec);
      case MLP -> MlpDecoder.output(layers, input, spec);
    };
  }

  /** Pixel means [N, H, W, C] in [0, 1] for latent codes z. */
  public static Operand<TFloat32> decode(Layers layers, Operand<TFloat32> z, VaeSpec spec) {
    return decode(layers, z, null, spec);
  }

  /** Pixel means for latent codes z under condition (null: unconditional). */
  public static Operand<TFloat32> decode(Layers layers, Operand<TFloat32> z, Operand<TFloat32> condition,
      VaeSpec spec) {
    return PixelLikelihood.mean(layers.tf(), spec, output(layers, z, condition, spec));
  }
}
