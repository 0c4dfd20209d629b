package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Picks the encoder and decoder of a spec's architecture. */
public final class VaeNetwork {
  private VaeNetwork() {}

  public static Posterior encode(Layers layers, Operand<TFloat32> images, VaeSpec spec) {
    return switch (spec.architecture()) {
      case CONV -> ConvEncoder.build(layers, images, spec);
      case MLP -> MlpEncoder.build(layers, images, spec);
    };
  }

  /** The decoder's raw output [N, H, W, k * C] for latent codes z [N, latentDim]. */
  public static Operand<TFloat32> output(Layers layers, Operand<TFloat32> z, VaeSpec spec) {
    return switch (spec.architecture()) {
      case CONV -> ConvDecoder.output(layers, z, spec);
      case MLP -> MlpDecoder.output(layers, z, spec);
    };
  }

  /** Pixel means [N, H, W, C] in [0, 1] for latent codes z. */
  public static Operand<TFloat32> decode(Layers layers, Operand<TFloat32> z, VaeSpec spec) {
    return PixelLikelihood.mean(layers.tf(), spec, output(layers, z, spec));
  }
}
