package org.vae4j.data;

import org.vae4j.VaeException;

/**
 * Images a program already holds, as a {@link Dataset}: {@code float[]} rows of height x width x channels values in
 * [0, 1] (channels last), or {@code byte[]} rows of unsigned 8-bit values. Images are stored as bytes like every
 * data set of vae4j, so float pixels are rounded to the nearest 1/255.
 */
public final class InMemoryImages {
  private InMemoryImages() {}

  /**
   * A data set from float pixels in [0, 1].
   *
   * @param shape {height, width, channels}
   * @param trainLabels one label per training image, or null
   * @param testLabels one label per test image, or null
   * @throws VaeException naming the image that has the wrong size or a value outside [0, 1]
   */
  public static Dataset of(String name, int[] shape, float[][] train, int[] trainLabels, float[][] test,
      int[] testLabels) {
    check(shape);
    return new Dataset(name, set(floats(train, shape, "train"), trainLabels, train.length, shape, "train"),
        set(floats(test, shape, "test"), testLabels, test.length, shape, "test"));
  }

  /** A data set from unsigned 8-bit pixels; see {@link #of(String, int[], float[][], int[], float[][], int[])}. */
  public static Dataset ofBytes(String name, int[] shape, byte[][] train, int[] trainLabels, byte[][] test,
      int[] testLabels) {
    check(shape);
    return new Dataset(name, set(bytes(train, shape, "train"), trainLabels, train.length, shape, "train"),
        set(bytes(test, shape, "test"), testLabels, test.length, shape, "test"));
  }

  private static void check(int[] shape) {
    if (shape == null || shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1
        || (long) shape[0] * shape[1] * shape[2] > Integer.MAX_VALUE / 2) {
      throw VaeException.setting("shape must be {height, width, channels} of positive sizes", "shape");
    }
  }

  private static ImageSet set(byte[] pixels, int[] labels, int count, int[] shape, String which) {
    if (labels != null && labels.length != count) {
      throw VaeException.setting(which + " has " + count + " images but " + labels.length + " labels", which);
    }
    return new ImageSet(pixels, labels == null ? null : labels.clone(), count, shape[0], shape[1], shape[2]);
  }

  /** A row of {@code length} values (-1: none) must hold one image of {@code shape}. */
  private static void checkRow(int length, int i, int[] shape, String which) {
    int size = shape[0] * shape[1] * shape[2];
    if (length != size) {
      throw VaeException.setting(which + " image " + i + " has " + (length < 0 ? "no" : length) + " values,"
          + " expected " + size + " (" + shape[0] + "x" + shape[1] + "x" + shape[2] + ")", which);
    }
  }

  private static byte[] floats(float[][] images, int[] shape, String which) {
    int size = shape[0] * shape[1] * shape[2];
    byte[] out = new byte[Math.multiplyExact(images.length, size)];
    for (int i = 0; i < images.length; i++) {
      checkRow(images[i] == null ? -1 : images[i].length, i, shape, which);
      for (int j = 0; j < size; j++) {
        float v = images[i][j];
        if (!(v >= 0f && v <= 1f)) {
          throw VaeException.setting(which + " image " + i + " has the value " + v + " at " + j + "; pixels must lie"
              + " in [0, 1]", which);
        }
        out[i * size + j] = (byte) Math.round(v * 255f);
      }
    }
    return out;
  }

  private static byte[] bytes(byte[][] images, int[] shape, String which) {
    int size = shape[0] * shape[1] * shape[2];
    byte[] out = new byte[Math.multiplyExact(images.length, size)];
    for (int i = 0; i < images.length; i++) {
      checkRow(images[i] == null ? -1 : images[i].length, i, shape, which);
      System.arraycopy(images[i], 0, out, i * size, size);
    }
    return out;
  }
}
