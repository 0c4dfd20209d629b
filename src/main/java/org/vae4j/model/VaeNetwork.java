package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Picks the encoder and decoder of a spec's architecture. */
public final class VaeNetwork {
  private VaeNetwork() {}

  public static Posterior encode(Layers layers, Operand<TFloat32> images, VaeSpec spec) {
    return encode(layers, images, null, spec);
  }

  /**
   * q(z|x, c): {@code condition} is the one-hot label [N, classes] of a conditional model ({@link
   * LabelCondition}), null for an unconditional one.
   */
  public static Posterior encode(Layers layers, Operand<TFloat32> images, Operand<TFloat32> condition,
      VaeSpec spec) {
    return switch (spec.architecture()) {
      case CONV -> ConvEncoder.build(layers, images, condition, spec);
      case MLP -> MlpEncoder.build(layers, images, condition, spec);
    };
  }

  /** The decoder's raw output [N, H, W, k * C] for latent codes z [N, latentDim]. */
  public static Operand<TFloat32> output(Layers layers, Operand<TFloat32> z, VaeSpec spec) {
    return output(layers, z, null, spec);
  }

  /** The same for p(x|z, c), {@code condition} [N, classes] one row per code (null: unconditional). */
  public static Operand<TFloat32> output(Layers layers, Operand<TFloat32> z, Operand<TFloat32> condition,
      VaeSpec spec) {
    Operand<TFloat32> input = LabelCondition.append(layers.tf(), z, condition);
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
