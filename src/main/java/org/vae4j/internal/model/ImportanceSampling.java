package org.vae4j.internal.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Log importance weights with the encoder as proposal (Burda et al. 2016): for z_k = mean + stddev * eps_k,
 * log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x). Then log p(x) is estimated by log mean_k exp(log w_k), a
 * lower bound in expectation that tightens towards log p(x) as K grows (K = 1 is the ELBO).
 */
final class ImportanceSampling {
  private static final float HALF_LOG_2PI = (float) (0.5 * Math.log(2 * Math.PI));

  private ImportanceSampling() {}

  /**
   * [N, K] log weights.
   *
   * @param eps the standard normal noise [N, K, latentDim] that made the codes
   * @param logLikelihood log p(x|z_k) [N, K] of those codes
   */
  public static Operand<TFloat32> logWeights(Ops tf, Posterior q, Operand<TFloat32> eps,
      Operand<TFloat32> logLikelihood) {
    Operand<TFloat32> mean = tf.expandDims(q.mean(), tf.constant(1));
    Operand<TFloat32> stddev = tf.expandDims(q.stddev(), tf.constant(1));
    Operand<TFloat32> logStddev = tf.expandDims(q.logStddev(), tf.constant(1));
    Operand<TFloat32> z = tf.math.add(mean, tf.math.mul(stddev, eps));
    // log N(z; 0, I) and log N(z; mean, stddev^2), both summed over dimensions; (z - mean) / stddev is eps itself
    Operand<TFloat32> logPrior = tf.sum(tf.math.sub(tf.math.mul(tf.constant(-0.5f), tf.math.square(z)),
        tf.constant(HALF_LOG_2PI)), tf.constant(-1));
    Operand<TFloat32> logPosterior = tf.sum(tf.math.sub(tf.math.sub(
        tf.math.mul(tf.constant(-0.5f), tf.math.square(eps)), logStddev), tf.constant(HALF_LOG_2PI)),
        tf.constant(-1));
    return tf.math.add(logLikelihood, tf.math.sub(logPrior, logPosterior));
  }
}
