package org.vae4j.serve;

import java.util.Arrays;

/**
 * One input or output of a signature as the graph declares it: dtype ({@code DT_FLOAT}), shape (-1 for a free
 * size) and the graph tensor it names ({@code encode_images:0}). Shown as {@code DT_FLOAT [-1, 28, 28, 1]}.
 */
public record TensorInfo(String dtype, long[] shape, String tensor) {
  public TensorInfo {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public String toString() {
    return dtype + " " + Arrays.toString(shape);
  }
}
