package org.vae4j.serve;

import org.vae4j.contract.Conditioning;

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

  /**
   * Checks a random-mask model's {@code masks} (one per {@code what}, a flag per value of an image row) and returns
   * them as the 0/1 rows its signatures take; other models take none and get null.
   */
  static float[][] checkMasks(boolean[][] masks, Conditioning c, int count, String what, int size) {
    if (!c.masked()) {
      if (masks != null) {
        throw new IllegalArgumentException("this model takes no masks: " + (c.partial() ? "it always observes its "
            + c.observe().label() : c.labelled() ? "it is conditioned on a label" : "it is unconditional"));
      }
      return null;
    }
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
   * Refuses a call that cannot run on a partial-input model, naming the one that does: {@code instead}, or for
   * a random-mask model {@code insteadMasked}.
   */
  static void refusePartial(Conditioning c, String instead, String insteadMasked) {
    if (c.masked()) {
      throw new IllegalArgumentException("this model completes images from the pixels a mask marks: call "
          + insteadMasked + " with the observed input and mask of each image");
    }
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
