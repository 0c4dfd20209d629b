package org.vae4j.eval;

import java.util.Arrays;

/**
 * How well an anomaly score (higher: more anomalous, such as -ELBO) tells anomalous images from normal ones: the
 * area under the ROC curve, and the threshold that flags at most a chosen share of the normal images.
 *
 * @param auc the probability that a random anomalous image scores above a random normal one, ties counting half
 *     (the Mann-Whitney statistic; 0.5 is chance, 1 a perfect separation)
 * @param threshold images scoring above it are flagged
 * @param falsePositiveRate the share of normal images flagged at that threshold (at most the one asked for)
 * @param truePositiveRate the share of anomalous images flagged at that threshold
 * @param normal how many normal images were scored
 * @param anomalous how many anomalous images were scored
 */
public record Roc(double auc, double threshold, double falsePositiveRate, double truePositiveRate, int normal,
    int anomalous) {

  /**
   * The ROC figures of these scores, with the threshold for a false-positive rate of at most {@code fpr}.
   *
   * @throws IllegalArgumentException when either group is empty, a score is NaN, or fpr lies outside [0, 1)
   */
  public static Roc of(double[] normalScores, double[] anomalousScores, double fpr) {
    if (normalScores.length == 0 || anomalousScores.length == 0) {
      throw new IllegalArgumentException("an ROC needs normal and anomalous images, got " + normalScores.length
          + " and " + anomalousScores.length);
    }
    if (!(fpr >= 0 && fpr < 1)) {
      throw new IllegalArgumentException("the false-positive rate must lie in [0, 1), got " + fpr);
    }
    double[] normal = sorted(normalScores);
    double[] anomalous = sorted(anomalousScores);
    // for each anomalous score: the normal scores below it, and half of those equal to it
    double wins = 0;
    for (double a : anomalous) {
      int below = lowerBound(normal, a);
      int notAbove = upperBound(normal, a);
      wins += below + 0.5 * (notAbove - below);
    }
    int n = normal.length;
    // flag above the normal score that leaves at most floor(fpr * n) normal images above it
    int allowed = (int) Math.floor(fpr * n + 1e-9); // 0.29 * 100 is 28.999...: still 29 allowed
    double threshold = normal[n - 1 - allowed];
    double falsePositives = n - upperBound(normal, threshold);
    double truePositives = anomalous.length - upperBound(anomalous, threshold);
    return new Roc(wins / ((double) n * anomalous.length), threshold, falsePositives / n,
        truePositives / anomalous.length, n, anomalous.length);
  }

  private static double[] sorted(double[] scores) {
    double[] s = scores.clone();
    for (double v : s) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("a score is NaN");
      }
    }
    Arrays.sort(s);
    return s;
  }

  /** The number of values below {@code v} in sorted {@code s}. */
  private static int lowerBound(double[] s, double v) {
    return count(s, v, false);
  }

  /** The number of values at most {@code v} in sorted {@code s}. */
  private static int upperBound(double[] s, double v) {
    return count(s, v, true);
  }

  /** Binary search: the values below {@code v}, or at most {@code v} when {@code inclusive}. */
  private static int count(double[] s, double v, boolean inclusive) {
    int lo = 0;
    int hi = s.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (s[mid] < v || inclusive && s[mid] == v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
