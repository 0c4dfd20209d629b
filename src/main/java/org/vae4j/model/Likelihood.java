package org.vae4j.model;

import java.util.Locale;
import org.vae4j.VaeException;

/** The decoder's distribution p(x|z) over pixel values in [0, 1]. */
public enum Likelihood {
  /**
   * Independent Bernoulli pixels with the decoder's logits; gray levels are used as soft targets (the
   * continuous-valued cross-entropy), as in the design this project ports.
   */
  BERNOULLI;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Likelihood parse(String text) {
    for (Likelihood l : values()) {
      if (l.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw new VaeException("--likelihood must be bernoulli, got '" + text + "'");
  }
}
