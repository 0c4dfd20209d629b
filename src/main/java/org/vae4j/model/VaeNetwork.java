package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Picks the encoder and decoder of a spec's architecture. */
public final class VaeNetwork {
  private VaeNetwork() {}

  public static Posterior encode(Layers layers, Operand<TFloat32> images, VaeSpec spec) {
    return switch (spec.architecture()) {
      case CONV -> ConvEncoder.build(layers, images, spec);
    };
  }

  /** Decoder logits [N, H, W, C] for latent codes z [N, latentDim]. */
  public static Operand<TFloat32> logits(Layers layers, Operand<TFloat32> z, VaeSpec spec) {
    return switch (spec.architecture()) {
      case CONV -> ConvDecoder.logits(layers, z, spec);
    };
  }
}
