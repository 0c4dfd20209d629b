package org.vae4j.eval;

import java.util.SplittableRandom;

/**
 * Principal components of a point cloud, the leading ones by power iteration with deflation on the covariance
 * matrix: plenty for the few components a picture needs of a latent space of at most a few hundred dimensions.
 *
 * @param mean the center of the points
 * @param components unit vectors, largest variance first
 * @param variances the variance along each component
 * @param totalVariance the variance summed over every dimension
 */
public record Pca(double[] mean, double[][] components, double[] variances, double totalVariance) {

  /**
   * The leading {@code count} components of {@code points} (rows of equal length).
   *
   * @throws IllegalArgumentException when {@code count} is below 1 or above the points' dimension
   */
  public static Pca fit(float[][] points, int count) {
    int d = points[0].length;
    if (count < 1 || count > d) {
      throw new IllegalArgumentException("cannot take " + count + " components of " + d + " dimensions");
    }
    int n = points.length;
    double[] mean = new double[d];
    for (float[] p : points) {
      for (int j = 0; j < d; j++) {
        mean[j] += p[j] / (double) n;
      }
    }
    double[][] cov = new double[d][d];
    for (float[] p : points) {
      for (int a = 0; a < d; a++) {
        double da = p[a] - mean[a];
        for (int b = a; b < d; b++) {
          cov[a][b] += da * (p[b] - mean[b]) / n;
        }
      }
    }
    double total = 0;
    for (int a = 0; a < d; a++) {
      total += cov[a][a];
      for (int b = 0; b < a; b++) {
        cov[a][b] = cov[b][a];
      }
    }
    double[][] components = new double[count][];
    double[] variances = new double[count];
    SplittableRandom random = new SplittableRandom(1);
    for (int c = 0; c < count; c++) {
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = random.nextDouble() - 0.5;
      }
      double lambda = 0;
      for (int iter = 0; iter < 1000; iter++) {
        double[] w = multiply(cov, v);
        double norm = Math.sqrt(dot(w, w));
        if (norm == 0) {
          break;
        }
        for (int j = 0; j < d; j++) {
          w[j] /= norm;
        }
        double change = 1 - Math.abs(dot(w, v));
        v = w;
        lambda = dot(v, multiply(cov, v));
        if (change < 1e-12) {
          break;
        }
      }
      components[c] = v;
      variances[c] = lambda;
      // deflate: remove this component's share so the next iteration finds the next one
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          cov[a][b] -= lambda * v[a] * v[b];
        }
      }
    }
    return new Pca(mean, components, variances, total);
  }

  /** The points in component coordinates, [n][count]. */
  public float[][] project(float[][] points) {
    float[][] out = new float[points.length][components.length];
    for (int i = 0; i < points.length; i++) {
      for (int c = 0; c < components.length; c++) {
        double s = 0;
        for (int j = 0; j < mean.length; j++) {
          s += (points[i][j] - mean[j]) * components[c][j];
        }
        out[i][c] = (float) s;
      }
    }
    return out;
  }

  /** The share of the total variance along component {@code c}. */
  public double explained(int c) {
    return totalVariance == 0 ? 0 : variances[c] / totalVariance;
  }

  private static double[] multiply(double[][] m, double[] v) {
    double[] out = new double[v.length];
    for (int a = 0; a < v.length; a++) {
      double s = 0;
      for (int b = 0; b < v.length; b++) {
        s += m[a][b] * v[b];
      }
      out[a] = s;
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
