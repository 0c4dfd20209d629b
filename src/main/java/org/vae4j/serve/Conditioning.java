package org.vae4j.serve;

import java.nio.file.Path;
import org.vae4j.VaeException;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.Observation;

/**
 * What a loaded model is conditioned on, as its card's {@code model} section says: nothing; a label of
 * {@code classes} classes; or the pixels {@code observe} names of each image (a partial-input CVAE, or with
 * {@code regressor} the deterministic regressor of the same decoder network).
 *
 * @param classes the classes of a label-conditioned model, else 0
 * @param observe the observed pixels of a partial-input model, else null
 * @param regressor whether a partial-input model is the regressor baseline (no latent code: encode gives 0 and
 *     every sample is the same prediction)
 */
public record Conditioning(int classes, Observation observe, boolean regressor) {
  /** An unconditional model. */
  public static final Conditioning NONE = new Conditioning(0, null, false);
  /** The largest class count a card may give (the training side's limit). */
  static final int MAX_CLASSES = 10_000;

  public boolean labelled() {
    return classes > 0;
  }

  public boolean partial() {
    return observe != null;
  }

  /** Whether each image or observed input comes with its own mask of observed pixels (a random-mask model). */
  public boolean masked() {
    return observe != null && !observe.fixed();
  }

  /**
   * A random-mask model's masks for images {@code from} .. {@code from + count - 1} of a set, drawn from {@code
   * seed} as in training ({@link Observation#masks}); null for other models, whose calls take none.
   */
  public boolean[][] masks(int from, int count, int[] imageShape, long seed) {
    return masked() ? observe.masks(from, count, imageShape[0], imageShape[1], imageShape[2], seed) : null;
  }

  /**
   * Reads the card's conditioning.
   *
   * @throws VaeException naming the card field that is missing or not one this vae4j reads
   */
  static Conditioning of(ModelCard card, Path version) {
    Object kind = card.model().get("conditioning");
    if (kind == null) {
      return NONE;
    }
    if ("partial".equals(kind)) {
      Object observe = card.model().get("observe");
      try {
        return new Conditioning(0, Observation.parse(String.valueOf(observe)),
            Boolean.TRUE.equals(card.model().get("regressor")));
      } catch (VaeException e) {
        throw new VaeException(version + ": the model card's 'observe' is " + observe + ", not one this vae4j"
            + " reads; upgrade vae4j", e);
      }
    }
    if (!"label".equals(kind)) {
      throw new VaeException(version + ": the model card's conditioning '" + kind + "' is not one this vae4j"
          + " reads (label, partial); upgrade vae4j");
    }
    if (!(card.model().get("classes") instanceof Long n) || n < 2 || n > MAX_CLASSES) {
      throw new VaeException(version + ": the model card's 'classes' must be a whole number from 2 to "
          + MAX_CLASSES + " for a label-conditioned model, found " + card.model().get("classes"));
    }
    return new Conditioning((int) (long) n, null, false);
  }
}
