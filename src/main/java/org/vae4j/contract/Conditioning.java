package org.vae4j.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.VaeException;

/**
 * What a model is conditioned on, the one type both sides use (the spec a model is built from, the card it is
 * exported with, the {@code Vae} that serves it): {@link None nothing}, a {@link Label label} of some classes, or
 * the pixels an {@link Partial observation} names of each image (a partial-input CVAE of p(Y | X), or with {@code
 * regressor} the deterministic regressor of the same decoder). Its card form is the {@code conditioning},
 * {@code classes}, {@code observe} and {@code regressor} fields of the card's {@code model} section.
 */
public sealed interface Conditioning permits Conditioning.None, Conditioning.Label, Conditioning.Partial {
  /** The most classes a label-conditioned model takes (EMNIST has 62; far above, small enough for typos). */
  int MAX_CLASSES = 10_000;
  /** An unconditional model. */
  Conditioning NONE = new None();

  /** The card's and spec.json's names for the conditioning. */
  String FIELD = "conditioning";
  /** The {@link #FIELD} value of a label-conditioned model. */
  String LABEL = "label";
  /** The field that gives a label-conditioned model's number of classes. */
  String CLASSES = "classes";
  /** The {@link #FIELD} value of a model conditioned on observed pixels. */
  String PARTIAL = "partial";
  /** The field that names a partial-input model's {@link Observation}, by its label. */
  String OBSERVE = "observe";
  /** The field that is true for the regressor baseline of a partial-input model (absent otherwise). */
  String REGRESSOR = "regressor";

  /** An unconditional model. */
  record None() implements Conditioning {}

  /**
   * A model conditioned on a label in [0, classes): a CVAE on the class.
   *
   * @param classes the number of classes, 2 to {@link #MAX_CLASSES}
   */
  record Label(int classes) implements Conditioning {
    /**
     * Checks the number of classes.
     *
     * @throws VaeException naming {@code classes} when it is not 2 to {@link #MAX_CLASSES}
     */
    public Label {
      if (classes < 2 || classes > MAX_CLASSES) {
        throw VaeException.setting("classes must be 0 (no label) or between 2 and " + MAX_CLASSES + ", got "
            + classes, "classes");
      }
    }
  }

  /**
   * A model conditioned on the pixels {@code observation} names: fixed ones, or a mask per image for {@link
   * Observation#RANDOM_MASK}; as the regressor baseline when {@code regressor}.
   *
   * @param observation the observed pixels, never null
   * @param regressor whether the model is the deterministic regressor of the image on them rather than a CVAE
   */
  record Partial(Observation observation, boolean regressor) implements Conditioning {
    /**
     * Checks that there is an observation.
     *
     * @throws VaeException naming {@code observe} when {@code observation} is null
     */
    public Partial {
      if (observation == null) {
        throw VaeException.setting("observe names the observed pixels of a partial-input model; it is missing",
            "observe");
      }
    }
  }

  /** A label of {@code classes} classes, or {@link #NONE} for 0. */
  static Conditioning label(int classes) {
    return classes == 0 ? NONE : new Label(classes);
  }

  /** The pixels {@code observation} names (null: {@link #NONE}), as a CVAE or as its regressor. */
  static Conditioning partial(Observation observation, boolean regressor) {
    if (observation == null) {
      if (regressor) {
        throw VaeException.setting("regressor needs observe: a regressor predicts the image from its observed"
            + " pixels", "regressor", "observe");
      }
      return NONE;
    }
    return new Partial(observation, regressor);
  }

  /** The number of classes of a label-conditioned model, else 0. */
  default int classes() {
    return this instanceof Label l ? l.classes() : 0;
  }

  /** Whether the model is conditioned on a label. */
  default boolean labelled() {
    return this instanceof Label;
  }

  /** Whether the model is conditioned on observed pixels (a partial-input CVAE or its regressor). */
  default boolean partial() {
    return this instanceof Partial;
  }

  /** The observed pixels of a partial-input model, else null. */
  default Observation observe() {
    return this instanceof Partial o ? o.observation() : null;
  }

  /** Whether a partial-input model is the regressor baseline (no latent code it uses). */
  default boolean regressor() {
    return this instanceof Partial o && o.regressor();
  }

  /** Whether each image or observed input comes with its own mask of observed pixels (a random-mask model). */
  default boolean masked() {
    return this instanceof Partial o && !o.observation().fixed();
  }

  /**
   * The width of the condition row the networks read for images of this shape: the classes, the observed values
   * (for a random-mask model the masked image and its mask, twice the image size), or 0.
   */
  default int width(int height, int width, int channels) {
    if (this instanceof Label l) {
      return l.classes();
    }
    if (this instanceof Partial o) {
      return o.observation().fixed() ? o.observation().count(height, width, channels)
          : 2 * height * width * channels;
    }
    return 0;
  }

  /**
   * A random-mask model's masks for images {@code from} .. {@code from + count - 1} of a set, drawn from {@code
   * seed} as in training; null for other models, whose calls take none.
   */
  default boolean[][] masks(int from, int count, int[] imageShape, long seed) {
    return masked() ? observe().masks(from, count, imageShape[0], imageShape[1], imageShape[2], seed) : null;
  }

  /** The card's form: the fields this conditioning adds to the {@code model} section (none for {@link #NONE}). */
  default Map<String, Object> cardFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (this instanceof Label l) {
      m.put(FIELD, LABEL);
      m.put(CLASSES, l.classes());
    } else if (this instanceof Partial o) {
      m.put(FIELD, PARTIAL);
      m.put(OBSERVE, o.observation().label());
      if (o.regressor()) {
        m.put(REGRESSOR, true);
      }
    }
    return m;
  }

  /**
   * Reads the card form back from a card's {@code model} section or a spec.json.
   *
   * @param where names the file in messages, {@code owner} what holds the fields ("the model card's")
   * @throws VaeException naming the field that is missing or not one this vae4j reads
   */
  static Conditioning fromFields(Map<String, Object> fields, String where, String owner) {
    Object kind = fields.get(FIELD);
    if (kind == null) {
      // spec.json of a release that wrote only the classes
      return fields.get(CLASSES) instanceof Number n && n.longValue() != 0 ? fromLabel(fields, where, owner)
          : NONE;
    }
    if (PARTIAL.equals(kind)) {
      Object observe = fields.get(OBSERVE);
      try {
        return new Partial(Observation.parse(String.valueOf(observe)), Boolean.TRUE.equals(fields.get(REGRESSOR)));
      } catch (VaeException e) {
        throw new VaeException(where + ": " + owner + " 'observe' is " + observe + ", not one this vae4j reads;"
            + " upgrade vae4j", e);
      }
    }
    if (!LABEL.equals(kind)) {
      throw new VaeException(where + ": " + owner + " conditioning '" + kind + "' is not one this vae4j reads"
          + " (label, partial); upgrade vae4j");
    }
    return fromLabel(fields, where, owner);
  }

  private static Conditioning fromLabel(Map<String, Object> fields, String where, String owner) {
    if (!(fields.get(CLASSES) instanceof Long n) || n < 2 || n > MAX_CLASSES) {
      throw new VaeException(where + ": " + owner + " 'classes' must be a whole number from 2 to " + MAX_CLASSES
          + " for a label-conditioned model, found " + fields.get(CLASSES));
    }
    return new Label((int) (long) n);
  }
}
