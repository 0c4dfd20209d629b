package org.vae4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.internal.util.LogMeanExp;

/**
 * The importance-sampled log-likelihood on a model whose marginal is known in closed form: a linear Gaussian
 * decoder p(x|z) = N(W z + b, s^2 I) with z ~ N(0, I) has p(x) = N(b, W W^T + s^2 I). With an imperfect Gaussian
 * proposal the estimate starts below log p(x) (K = 1 is an ELBO) and converges to it as K grows.
 */
class ImportanceSamplingTest {
  private static final double[][] W = {{1.0, -0.5}, {0.3, 0.8}, {-0.7, 0.2}};
  private static final double[] B = {0.1, -0.2, 0.4};
  private static final double S = 0.5;
  private static final double[] X = {1.2, 0.4, -0.9};

  /** log N(X; B, W W^T + S^2 I), by Cholesky. */
  private static double trueLogLikelihood() {
    int d = 3;
    double[][] c = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        c[i][j] = W[i][0] * W[j][0] + W[i][1] * W[j][1] + (i == j ? S * S : 0);
      }
    }
    double[][] l = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = c[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
      }
    }
    double[] y = new double[d];
    double logDet = 0;
    double quad = 0;
    for (int i = 0; i < d; i++) {
      double sum = X[i] - B[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * y[k];
      }
      y[i] = sum / l[i][i];
      quad += y[i] * y[i];
      logDet += 2 * Math.log(l[i][i]);
    }
    return -0.5 * (d * Math.log(2 * Math.PI) + logDet + quad);
  }

  /** The exact posterior's mean and marginal stddevs: Sigma = (I + W^T W / S^2)^-1, mu = Sigma W^T (x - b) / S^2. */
  private static double[][] posterior() {
    double a = 1, bb = 0, d = 1;
    for (double[] row : W) {
      a += row[0] * row[0] / (S * S);
      bb += row[0] * row[1] / (S * S);
      d += row[1] * row[1] / (S * S);
    }
    double det = a * d - bb * bb;
    double[][] sigma = {{d / det, -bb / det}, {-bb / det, a / det}};
    double[] v = new double[2];
    for (int i = 0; i < 3; i++) {
      v[0] += W[i][0] * (X[i] - B[i]) / (S * S);
      v[1] += W[i][1] * (X[i] - B[i]) / (S * S);
    }
    return new double[][] {{sigma[0][0] * v[0] + sigma[0][1] * v[1], sigma[1][0] * v[0] + sigma[1][1] * v[1]},
        {Math.sqrt(sigma[0][0]), Math.sqrt(sigma[1][1])}};
  }

  /** The estimate with K samples, drawn in chunks of at most 1000 with seeds from {@code seed}. */
  private static double estimate(int samples, long seed) {
    double[][] post = posterior();
    // an imperfect proposal: the right mean, a diagonal stddev 1.4 times too wide (the true posterior is correlated)
    float[] qMean = {(float) post[0][0], (float) post[0][1]};
    float[] qStddev = {(float) (1.4 * post[1][0]), (float) (1.4 * post[1][1])};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TInt32> k = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TInt64> seedPair = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      float[] logStddev = {(float) Math.log(qStddev[0]), (float) Math.log(qStddev[1])};
      Posterior q = new Posterior(ObjectiveTest.c(tf, qMean, 1, 2), ObjectiveTest.c(tf, qStddev, 1, 2),
          ObjectiveTest.c(tf, logStddev, 1, 2));
      Operand<TFloat32> eps = tf.reshape(tf.random.statelessRandomNormal(tf.concat(java.util.List.of(tf.constant(new int[] {1}),
          tf.reshape(k, tf.constant(new int[] {1})), tf.constant(new int[] {2})), tf.constant(0)), seedPair),
          tf.constant(new int[] {1, -1, 2}));
      Operand<TFloat32> z = tf.math.add(tf.expandDims(q.mean(), tf.constant(1)),
          tf.math.mul(tf.expandDims(q.stddev(), tf.constant(1)), eps));
      float[] wt = new float[6];
      for (int i = 0; i < 3; i++) {
        wt[i] = (float) W[i][0];
        wt[3 + i] = (float) W[i][1];
      }
      // linear decoder mean [1, K, 3] = z [1, K, 2] . W^T [2, 3] + b
      Operand<TFloat32> mean = tf.math.add(tf.reshape(tf.linalg.matMul(tf.reshape(z, tf.constant(new int[] {-1, 2})),
          ObjectiveTest.c(tf, wt, 2, 3)), tf.constant(new int[] {1, -1, 3})),
          ObjectiveTest.c(tf, new float[] {(float) B[0], (float) B[1], (float) B[2]}, 1, 1, 3));
      Operand<TFloat32> err = tf.math.sub(ObjectiveTest.c(tf, new float[] {(float) X[0], (float) X[1], (float) X[2]},
          1, 1, 3), mean);
      Operand<TFloat32> logLik = tf.sum(tf.math.sub(tf.constant((float) (-0.5 * Math.log(2 * Math.PI * S * S))),
          tf.math.div(tf.math.square(err), tf.constant((float) (2 * S * S)))), tf.constant(-1));
      Operand<TFloat32> logWeights = ImportanceSampling.logWeights(tf, q, eps, logLik);
      LogMeanExp mean0 = new LogMeanExp();
      try (Session s = new Session(g)) {
        int chunk = 0;
        for (int done = 0; done < samples; done += 1000, chunk++) {
          int n = Math.min(1000, samples - done);
          try (TInt32 kt = TInt32.scalarOf(n);
              TInt64 st = TInt64.vectorOf(seed, chunk);
              Result r = s.runner().feed(k, kt).feed(seedPair, st).fetch(logWeights).run()) {
            for (float w : Tensors.toFloats(r.get(0))) {
              mean0.add(w);
            }
          }
        }
      }
      return mean0.value();
    }
  }

  @Test
  void theEstimateConvergesToTheClosedFormMarginal() {
    double truth = trueLogLikelihood();
    double[] error = new double[4];
    int[] ks = {1, 10, 1000, 20_000};
    for (int i = 0; i < ks.length; i++) {
      double mean = 0;
      int repeats = ks[i] < 1000 ? 40 : 3;
      for (long seed = 0; seed < repeats; seed++) {
        mean += estimate(ks[i], seed) / repeats;
      }
      error[i] = truth - mean;
    }
    assertTrue(error[0] > 0.05, "K = 1 (the ELBO) sits clearly below log p(x): gap " + error[0]);
    assertTrue(error[1] < error[0] && error[2] < error[1], "the gap shrinks with K: " + java.util.Arrays.toString(error));
    assertEquals(0, error[3], 0.01, "K = 20000 is within 0.01 nats of log p(x) = " + truth);
  }

  @Test
  void logMeanExpStreamsWithoutOverflow() {
    LogMeanExp m = new LogMeanExp();
    double[] values = {1000, 1001, -5, 999.5};
    for (double v : values) {
      m.add(v);
    }
    double direct = 1001 + Math.log((Math.exp(-1) + 1 + Math.exp(-1006) + Math.exp(-1.5)) / 4);
    assertEquals(direct, m.value(), 1e-12);
    assertEquals(4, m.count());
    assertTrue(Double.isNaN(new LogMeanExp().value()));
  }
}
