package org.vae4j.internal.util;

/**
 * A running log(mean(exp(x))) over values that arrive in chunks, without overflow: it keeps the largest value seen
 * and the sum of exp(x - largest), rescaling the sum when a larger value arrives.
 */
public final class LogMeanExp {
  private double max = Double.NEGATIVE_INFINITY;
  private double sum;
  private long count;

  public void add(double x) {
    if (x > max) {
      sum = sum * Math.exp(max - x) + 1;
      max = x;
    } else {
      sum += Math.exp(x - max);
    }
    count++;
  }

  public long count() {
    return count;
  }

  /** log of the mean of exp over every value added; NaN before the first. */
  public double value() {
    return count == 0 ? Double.NaN : max + Math.log(sum) - Math.log(count);
  }
}
