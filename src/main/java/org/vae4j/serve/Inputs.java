package org.vae4j.serve;

/**
 * The checks {@link Vae} makes on its callers' arrays before any tensor is made; each failure is an {@link
 * IllegalArgumentException} that says what was expected.
 */
final class Inputs {
  private Inputs() {}

  /** Rows of {@code size} finite values each (in [0, 1] when {@code unitRange}). */
  static void checkRows(float[][] rows, int size, String what, String expected, boolean unitRange) {
    if (rows == null) {
      throw new IllegalArgumentException("no " + what + "s given (null); expected rows of " + expected);
    }
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      if (row == null) {
        throw new IllegalArgumentException(what + " " + i + " is null; expected " + expected);
      }
      if (row.length != size) {
        throw new IllegalArgumentException(what + " " + i + " has " + row.length + " values; this model expects "
            + expected);
      }
      for (int j = 0; j < size; j++) {
        float v = row[j];
        if (!Float.isFinite(v) || (unitRange && (v < 0f || v > 1f))) {
          throw new IllegalArgumentException(what + " " + i + " has value " + v + " at index " + j
              + "; expected " + (unitRange ? "finite values in [0, 1]" : "finite values"));
        }
      }
    }
  }

  /**
   * Checks {@code labels} against the model: none for an unconditional model; for a conditional one, one per
   * {@code what} and each in [0, classes).
   */
  static void checkLabels(int[] labels, int count, String what, int classes) {
    if (classes == 0) {
      if (labels != null) {
        throw new IllegalArgumentException("this model is not conditioned on a label; call it without labels");
      }
      return;
    }
    if (labels == null) {
      throw new IllegalArgumentException("this model is conditioned on a label of " + classes + " classes: give"
          + " one label per " + what);
    }
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
  }

  /** Refuses a call that cannot run on a partial-input model, naming the one that does. */
  static void refusePartial(Conditioning c, String instead) {
    if (c.partial()) {
      throw new IllegalArgumentException("this model completes images from their " + c.observe().label()
          + ": call " + instead + " with the observed input of each image");
    }
  }

  /** Refuses a completion call on a model that observes no part of its images. */
  static void requirePartial(Conditioning c) {
    if (!c.partial()) {
      throw new IllegalArgumentException("this model does not complete images from observed pixels; it is "
          + (c.labelled() ? "conditioned on a label" : "unconditional"));
    }
  }
}
