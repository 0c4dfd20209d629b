package org.vae4j.serve;

import java.util.Arrays;

/**
 * One input or output of a signature as the graph declares it: dtype ({@code DT_FLOAT}), shape (-1 for a free
 * size) and the graph tensor it names ({@code encode_images:0}). Shown as {@code DT_FLOAT [-1, 28, 28, 1]}.
 *
 * @param dtype the element type, as TensorFlow names it
 * @param shape the size of each dimension, -1 where free
 * @param tensor the name of the graph tensor
 */
public record TensorInfo(String dtype, long[] shape, String tensor) {
  /** Keeps a copy of the shape. */
  public TensorInfo {
    shape = shape.clone();
  }

  /** A copy of the shape: the size of each dimension, -1 where free. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public String toString() {
    return dtype + " " + Arrays.toString(shape);
  }
}
