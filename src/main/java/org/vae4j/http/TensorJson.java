package org.vae4j.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Tensors as TF Serving's REST API writes them in JSON: nested lists, one level per dimension, numbers at the
 * bottom. Reading checks the shape exactly and names the input in one sentence.
 */
final class TensorJson {
  private TensorJson() {}

  /**
   * The rows of a batched input: {@code value} must be a list of N items, each nested as {@code shape} (an image
   * [H][W][C], a code [z], or a scalar for an empty shape), of finite numbers.
   */
  static float[][] rows(Object value, int[] shape, String input) {
    List<?> items = list(value, input, "a list with one item per example");
    int size = 1;
    for (int d : shape) {
      size *= d;
    }
    float[][] rows = new float[items.size()][size];
    for (int i = 0; i < rows.length; i++) {
      int[] at = {0};
      fill(items.get(i), shape, 0, rows[i], at, input, i);
    }
    return rows;
  }

  /** The labels of a batched integer input: a list of whole numbers. */
  static int[] ints(Object value, String input) {
    List<?> items = list(value, input, "a list of whole numbers");
    int[] out = new int[items.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(items.get(i) instanceof Long n) || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("'" + input + "' must hold whole numbers, found " + describe(items.get(i))
            + " at example " + i);
      }
      out[i] = (int) (long) n;
    }
    return out;
  }

  /** A scalar whole number (count, samples, seed); a one-item list is taken as the scalar too. */
  static long scalar(Object value, String input) {
    Object v = value instanceof List<?> l && l.size() == 1 ? l.get(0) : value;
    if (!(v instanceof Long n)) {
      throw new IllegalArgumentException("'" + input + "' must be a whole number, found " + describe(value));
    }
    return n;
  }

  /** Masks: rows of 0 and 1 only, as flags. */
  static boolean[][] masks(Object value, int[] shape, String input) {
    float[][] rows = rows(value, shape, input);
    boolean[][] out = new boolean[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new boolean[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        if (rows[i][j] != 0f && rows[i][j] != 1f) {
          throw new IllegalArgumentException("mask values must be 0 or 1, found " + rows[i][j] + " in example " + i);
        }
        out[i][j] = rows[i][j] == 1f;
      }
    }
    return out;
  }

  /** One row as nested lists of {@code shape}. */
  static Object nest(float[] row, int[] shape) {
    return nest(row, shape, 0, new int[] {0});
  }

  /** Every row nested as {@code shape}. */
  static List<Object> nestAll(float[][] rows, int[] shape) {
    List<Object> out = new ArrayList<>(rows.length);
    for (float[] row : rows) {
      out.add(nest(row, shape));
    }
    return out;
  }

  private static Object nest(float[] row, int[] shape, int dim, int[] at) {
    if (dim == shape.length) {
      return row[at[0]++];
    }
    List<Object> out = new ArrayList<>(shape[dim]);
    for (int i = 0; i < shape[dim]; i++) {
      out.add(nest(row, shape, dim + 1, at));
    }
    return out;
  }

  private static void fill(Object value, int[] shape, int dim, float[] row, int[] at, String input, int example) {
    if (dim == shape.length) {
      if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException("'" + input + "' must hold numbers, found " + describe(value)
            + " in example " + example);
      }
      row[at[0]++] = n.floatValue();
      return;
    }
    if (!(value instanceof List<?> items) || items.size() != shape[dim]) {
      throw new IllegalArgumentException("each example of '" + input + "' must have shape " + shapeText(shape)
          + "; example " + example + " has " + describe(value) + " at depth " + (dim + 1));
    }
    for (Object item : items) {
      fill(item, shape, dim + 1, row, at, input, example);
    }
  }

  private static List<?> list(Object value, String input, String expected) {
    if (!(value instanceof List<?> items)) {
      throw new IllegalArgumentException("'" + input + "' must be " + expected + ", found " + describe(value));
    }
    return items;
  }

  static String shapeText(int[] shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return b.append(']').toString();
  }

  /** A JSON value in a few words: "a list of 3", "an object", "the text 'x'", "the number 2.5". */
  static String describe(Object v) {
    if (v instanceof List<?> l) {
      return "a list of " + l.size();
    } else if (v instanceof java.util.Map) {
      return "an object";
    } else if (v instanceof String s) {
      return "text";
    } else if (v instanceof Number n) {
      return "the number " + n;
    } else if (v instanceof Boolean b) {
      return b.toString();
    }
    return "null";
  }
}
