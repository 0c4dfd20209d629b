package org.vae4j.contract;

/**
 * The check every row a caller hands a model passes before any tensor is made (images, latent codes, observed
 * inputs): present, of the model's width, finite, and for pixels in [0, 1]. Each failure is an {@link
 * IllegalArgumentException} that says which row and what was expected.
 */
public final class Rows {
  private Rows() {}

  /**
   * Rows of {@code size} finite values each (in [0, 1] when {@code unitRange}).
   *
   * @param what one row, in messages ("image", "latent code")
   * @param expected what a row must be, in messages ("28x28x1 = 784 values in [0, 1]")
   */
  public static void check(float[][] rows, int size, String what, String expected, boolean unitRange) {
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

  /** What an image row of this shape is, in messages. */
  public static String imageRow(int[] shape) {
    return shape[0] + "x" + shape[1] + "x" + shape[2] + " = " + shape[0] * shape[1] * shape[2]
        + " values in [0, 1]";
  }
}
