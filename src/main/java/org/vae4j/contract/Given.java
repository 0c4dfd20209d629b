package org.vae4j.contract;

import java.util.Arrays;

/**
 * What one call gives a conditional model beside its images or latent codes, one entry per row:
 * <ul>
 *   <li>{@link #NONE}: nothing, for an unconditional model, and for a partial-input model with a fixed observation
 *       in the calls on images (it reads the pixels it observes from the images themselves);
 *   <li>{@link #labels labels}: the label of each row, for a label-conditioned model;
 *   <li>{@link #masks masks}: the mask of each image (a flag per value, true where observed), for a random-mask
 *       model's calls on images;
 *   <li>{@link #observed observed inputs}: the observed input X of each row (an image row whose observed values
 *       are read, the others ignored), with its mask for a random-mask model, for a partial-input model's calls
 *       on codes: decode, sample, complete.
 * </ul>
 * {@link #check} is the one place this is checked against a model's {@link Conditioning}; serving and training
 * both feed the {@link Feed} it returns. The arrays are the caller's, not copied: do not change them during a call.
 */
public sealed interface Given permits Given.None, Given.Labels, Given.Masks, Given.Observed {
  /** Nothing beside the rows. */
  Given NONE = new None();

  /** Nothing beside the rows. */
  record None() implements Given {}

  /**
   * The label of each row, for a label-conditioned model.
   *
   * @param labels one label in [0, classes) per row
   */
  record Labels(int[] labels) implements Given {}

  /**
   * The mask of each image of a random-mask model: a flag per value, true where observed.
   *
   * @param masks one mask per image, of height x width x channels flags
   */
  record Masks(boolean[][] masks) implements Given {}

  /**
   * The observed input of each row of a partial-input model, and for a random-mask model the mask of each (null
   * for a model with a fixed observation).
   *
   * @param inputs one image row per row, whose observed values are read and the others ignored
   * @param masks one mask per row for a random-mask model, else null
   */
  record Observed(float[][] inputs, boolean[][] masks) implements Given {}

  /** The label of each row, for a label-conditioned model. */
  static Given labels(int... labels) {
    return new Labels(labels);
  }

  /** The mask of each image, for a random-mask model's calls on images. */
  static Given masks(boolean[]... masks) {
    return new Masks(masks);
  }

  /** The observed input of each row, for a partial-input model with a fixed observation. */
  static Given observed(float[][] inputs) {
    return new Observed(inputs, null);
  }

  /** The observed input of each row and its mask, for a random-mask model. */
  static Given observed(float[][] inputs, boolean[][] masks) {
    return new Observed(inputs, masks);
  }

  /** What a call's rows are: images (a partial-input model reads X from them) or latent codes (it is given X). */
  enum RowKind {
    /** Images, one row of pixel values each. */
    IMAGES,
    /** Latent codes, one row of {@code latentDim} values each. */
    CODES
  }

  /**
   * The rows this value gives (labels, masks or observed inputs), or -1 for {@link #NONE}: how many images a
   * {@code sample} call draws.
   */
  default int count() {
    if (this instanceof Labels l) {
      return l.labels() == null ? -1 : l.labels().length;
    }
    if (this instanceof Masks m) {
      return m.masks() == null ? -1 : m.masks().length;
    }
    return this instanceof Observed o && o.inputs() != null ? o.inputs().length : -1;
  }

  /**
   * The entries of rows [from, to), for a call on those rows alone.
   *
   * @throws IllegalArgumentException when [from, to) is not within the rows this value gives
   */
  default Given slice(int from, int to) {
    int rows = count();
    if (rows >= 0 && (from < 0 || to < from || to > rows)) {
      throw new IllegalArgumentException("rows " + from + " to " + to + " are not within the " + rows + " given");
    }
    if (this instanceof Labels l && l.labels() != null) {
      return new Labels(Arrays.copyOfRange(l.labels(), from, to));
    }
    if (this instanceof Masks m && m.masks() != null) {
      return new Masks(Arrays.copyOfRange(m.masks(), from, to));
    }
    if (this instanceof Observed o && o.inputs() != null) {
      return new Observed(Arrays.copyOfRange(o.inputs(), from, to), o.masks() == null ? null
          : Arrays.copyOfRange(o.masks(), from, to));
    }
    return this;
  }

  /**
   * Checks this value against a model conditioned on {@code model} for {@code count} rows of {@code kind}, and
   * returns what the graph is fed.
   *
   * @param what one row, in messages ("image", "latent code")
   * @param imageShape the model's [height, width, channels]
   * @throws IllegalArgumentException in one sentence that says what the model takes and how to call it
   */
  default Feed check(Conditioning model, RowKind kind, int count, String what, int[] imageShape) {
    int size = imageShape[0] * imageShape[1] * imageShape[2];
    if (model instanceof Conditioning.Label l) {
      if (!(this instanceof Labels given) || given.labels() == null) {
        throw new IllegalArgumentException("this model is conditioned on a label of " + l.classes() + " classes:"
            + " give one label per " + what + " (Given.labels)");
      }
      return new Feed(count, checkLabels(given.labels(), count, what, l.classes()), null, null);
    }
    if (this instanceof Labels) {
      throw new IllegalArgumentException("this model is not conditioned on a label; call it without labels");
    }
    if (model instanceof Conditioning.Partial p) {
      return kind == RowKind.IMAGES ? checkImageCall(p, count, what, size) : checkCodeCall(p, count, what,
          imageShape);
    }
    if (this instanceof Masks) {
      throw new IllegalArgumentException("this model takes no masks: it is unconditional");
    }
    if (this instanceof Observed) {
      throw new IllegalArgumentException("this model does not complete images from observed pixels; it is"
          + " unconditional");
    }
    return new Feed(count, null, null, null);
  }

  /** A partial-input model's call on images: it reads X from them; a random-mask model takes their masks. */
  private Feed checkImageCall(Conditioning.Partial p, int count, String what, int size) {
    if (this instanceof Observed) {
      throw new IllegalArgumentException("this model reads the observed pixels from the " + what + "s themselves:"
          + (p.masked() ? " give each one's mask (Given.masks)" : " give nothing beside them"));
    }
    if (!p.masked()) {
      if (this instanceof Masks) {
        throw new IllegalArgumentException("this model takes no masks: it always observes its "
            + p.observation().label());
      }
      return new Feed(count, null, null, null);
    }
    boolean[][] masks = this instanceof Masks m ? m.masks() : null;
    return new Feed(count, null, null, maskValues(masks, count, what, size));
  }

  /** A partial-input model's call on codes: it is given each row's X, and a random-mask model its mask. */
  private Feed checkCodeCall(Conditioning.Partial p, int count, String what, int[] imageShape) {
    if (!(this instanceof Observed o) || o.inputs() == null) {
      throw new IllegalArgumentException(p.masked() ? "this model completes images from the pixels a mask marks:"
          + " give the observed input and mask of each " + what + " (Given.observed(inputs, masks))"
          : "this model completes images from their " + p.observation().label() + ": give the observed input of"
          + " each " + what + " (Given.observed(inputs))");
    }
    Rows.check(o.inputs(), imageShape[0] * imageShape[1] * imageShape[2], "observed input",
        Rows.imageRow(imageShape), true);
    if (o.inputs().length != count) {
      throw new IllegalArgumentException(o.inputs().length + " observed inputs for " + count + " " + what
          + "s; give one per " + what);
    }
    if (!p.masked() && o.masks() != null) {
      throw new IllegalArgumentException("this model takes no masks: it always observes its "
          + p.observation().label());
    }
    float[][] masks = p.masked() ? maskValues(o.masks(), count, what, imageShape[0] * imageShape[1]
        * imageShape[2]) : null;
    return new Feed(count, null, o.inputs(), masks);
  }

  private static int[] checkLabels(int[] labels, int count, String what, int classes) {
    if (labels.length != count) {
      throw new IllegalArgumentException(labels.length + " labels for " + count + " " + what + "s; give one label"
          + " per " + what);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + i + " is " + labels[i] + "; this model's labels are 0 to "
            + (classes - 1));
      }
    }
    return labels;
  }

  /** A random-mask model's masks, checked, as the 0/1 rows its graphs take. */
  private static float[][] maskValues(boolean[][] masks, int count, String what, int size) {
    if (masks == null) {
      throw new IllegalArgumentException("this model observes a random mask of each image: give one mask (a flag"
          + " per value, true where observed) per " + what);
    }
    if (masks.length != count) {
      throw new IllegalArgumentException(masks.length + " masks for " + count + " " + what + "s; give one mask per "
          + what);
    }
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      if (masks[i] == null || masks[i].length != size) {
        throw new IllegalArgumentException("mask " + i + " has " + (masks[i] == null ? "no" : masks[i].length)
            + " flags; this model expects " + size + ", one per value of an image");
      }
      out[i] = new float[size];
      for (int j = 0; j < size; j++) {
        out[i][j] = masks[i][j] ? 1f : 0f;
      }
    }
    return out;
  }

  /**
   * What the graph is fed beside {@code count} rows, checked: a label-conditioned model's labels, a partial-input
   * model's observed inputs (on codes; on images they are the images), a random-mask model's masks as 0/1 rows;
   * null where the model takes none.
   *
   * @param count the number of rows
   * @param labels one label per row, or null
   * @param conditions one observed input per row, or null
   * @param masks one 0/1 mask row per row, or null
   */
  record Feed(int count, int[] labels, float[][] conditions, float[][] masks) {
    /** The entries of rows [from, to). */
    public Feed slice(int from, int to) {
      return new Feed(to - from, labels == null ? null : Arrays.copyOfRange(labels, from, to),
          conditions == null ? null : Arrays.copyOfRange(conditions, from, to),
          masks == null ? null : Arrays.copyOfRange(masks, from, to));
    }

    /** Every entry {@code times} times in a row (entry i at rows i * times .. i * times + times - 1). */
    public Feed repeat(int times) {
      return new Feed(count * times, labels == null ? null : repeated(labels, times),
          conditions == null ? null : repeated(conditions, times), masks == null ? null : repeated(masks, times));
    }

    private static int[] repeated(int[] v, int times) {
      int[] out = new int[v.length * times];
      for (int i = 0; i < out.length; i++) {
        out[i] = v[i / times];
      }
      return out;
    }

    private static float[][] repeated(float[][] v, int times) {
      float[][] out = new float[v.length * times][];
      for (int i = 0; i < out.length; i++) {
        out[i] = v[i / times];
      }
      return out;
    }
  }
}
