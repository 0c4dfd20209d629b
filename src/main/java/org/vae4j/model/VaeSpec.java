package org.vae4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.VaeException;

/**
 * Everything that decides the shape of a VAE's graph. Training options live in {@code TrainConfig}; this record
 * is what the inference graph and the model card need.
 *
 * @param image the images the model reads and writes
 * @param latentDim size of the latent code z
 * @param architecture encoder and decoder family
 * @param likelihood the decoder's distribution p(x|z)
 */
public record VaeSpec(ImageShape image, int latentDim, Architecture architecture, Likelihood likelihood) {
  /** Largest latent size accepted: far beyond any use, small enough to catch typos. */
  public static final int MAX_LATENT = 4096;

  public VaeSpec {
    if (latentDim < 1 || latentDim > MAX_LATENT) {
      throw new VaeException("--latent-dim must be between 1 and " + MAX_LATENT + ", got " + latentDim);
    }
    architecture.check(image);
  }

  /** The conv model with a Bernoulli decoder, the design this project started from. */
  public static VaeSpec conv(ImageShape image, int latentDim) {
    return new VaeSpec(image, latentDim, Architecture.CONV, Likelihood.BERNOULLI);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("image_shape", image.toArray());
    m.put("latent_dim", latentDim);
    m.put("architecture", architecture.label());
    m.put("likelihood", likelihood.label());
    return m;
  }
}
