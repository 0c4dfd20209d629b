package org.vae4j.internal.tf;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Moves whole float arrays in and out of tensors (one bulk copy, not an element loop). The caller owns and closes
 * every tensor it gets.
 */
public final class Tensors {
  private Tensors() {}

  /** A float tensor of the given shape holding {@code values} (row-major). */
  public static TFloat32 floats(float[] values, long... shape) {
    Shape s = Shape.of(shape);
    if (s.size() != values.length) {
      throw new IllegalArgumentException(values.length + " values do not fill shape " + s);
    }
    return TFloat32.tensorOf(s, DataBuffers.of(values, true, false));
  }

  /** Rows of equal length as one tensor of shape [rows, dims...], where dims multiply to the row length. */
  public static TFloat32 rows(float[][] rows, long... dims) {
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    float[] flat = new float[Math.multiplyExact(rows.length, (int) size)];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, (int) (i * size), (int) size);
    }
    long[] shape = new long[dims.length + 1];
    shape[0] = rows.length;
    System.arraycopy(dims, 0, shape, 1, dims.length);
    return floats(flat, shape);
  }

  /** All values of a float tensor, row-major. */
  public static float[] toFloats(Tensor tensor) {
    TFloat32 t = (TFloat32) tensor;
    float[] out = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** A float tensor of shape [n, ...] split into n rows. */
  public static float[][] toRows(Tensor tensor) {
    float[] flat = toFloats(tensor);
    int n = (int) tensor.shape().get(0);
    int size = n == 0 ? 0 : flat.length / n;
    float[][] out = new float[n][size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * size, out[i], 0, size);
    }
    return out;
  }

  /** The single value of a float scalar tensor. */
  public static float scalar(Tensor tensor) {
    return ((TFloat32) tensor).getFloat();
  }

  /** Values as rows of one value each (a per-image scalar joined like per-image rows). */
  public static float[][] asColumn(float[] values) {
    float[][] out = new float[values.length][1];
    for (int i = 0; i < values.length; i++) {
      out[i][0] = values[i];
    }
    return out;
  }

  /** The first value of each row: {@link #asColumn} undone. */
  public static float[] firstColumn(float[][] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][0];
    }
    return out;
  }
}
