package org.vae4j.internal.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.spec.VaeSpec;

/**
 * The terms of the evidence lower bound, per image and in nats:
 * ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || N(0, I)), the expectation estimated with S reparameterized samples.
 */
public final class Objective {
  private Objective() {}

  /**
   * Per-image terms.
   *
   * @param reconstruction the reconstruction term [N], log p(x|z) averaged over the samples (minus the squared
   *     error for mse)
   * @param klPerDimension KL(q || p) of each latent dimension [N, latentDim]
   * @param kl its sum over dimensions [N]
   * @param perSample log p(x|z_s) of each of the S samples [N, S] (minus the squared error for mse)
   */
  public record Terms(Posterior posterior, Operand<TFloat32> reconstruction, Operand<TFloat32> klPerDimension,
      Operand<TFloat32> kl, Operand<TFloat32> perSample) {}

  /**
   * KL(N(mean, stddev^2) || N(0, 1)) of each dimension: 0.5 * (mean^2 + stddev^2 - 2 log stddev - 1). Returns
   * [N, latentDim].
   */
  public static Operand<TFloat32> klPerDimension(Ops tf, Posterior q) {
    return tf.math.mul(tf.constant(0.5f), tf.math.sub(
        tf.math.add(tf.math.square(q.mean()), tf.math.square(q.stddev())),
        tf.math.add(tf.math.mul(tf.constant(2f), q.logStddev()), tf.constant(1f))));
  }

  /**
   * The KL term of a batch from its per-dimension batch means [latentDim]: their sum, or with free bits F > 0 the
   * sum of max(F, mean) (Kingma et al. 2016). A dimension under the floor contributes the constant F, so the KL
   * exerts no gradient on it until its KL rises above F.
   */
  public static Operand<TFloat32> klTerm(Ops tf, Operand<TFloat32> klPerDimensionMean, float freeBits) {
    Operand<TFloat32> floored = freeBits > 0
        ? tf.math.maximum(klPerDimensionMean, tf.constant(freeBits)) : klPerDimensionMean;
    return tf.sum(floored, tf.constant(0));
  }

  /** The KL summed over latent dimensions, [N]. */
  public static Operand<TFloat32> klToStandardNormal(Ops tf, Posterior q) {
    return tf.sum(klPerDimension(tf, q), tf.constant(1));
  }

  /**
   * S codes per image: z = mean + stddev * eps with eps [N or 1, S, latentDim] (1: the same noise for every
   * image). Returns [N * S, latentDim], the codes of image n in rows n * S .. n * S + S - 1.
   */
  public static Operand<TFloat32> reparameterize(Ops tf, Posterior q, Operand<TFloat32> eps, int latentDim) {
    Operand<TFloat32> mean = tf.expandDims(q.mean(), tf.constant(1));
    Operand<TFloat32> stddev = tf.expandDims(q.stddev(), tf.constant(1));
    return tf.reshape(tf.math.add(mean, tf.math.mul(stddev, eps)), tf.constant(new int[] {-1, latentDim}));
  }

  /**
   * Standard normal noise of the given shape from a stateless generator: the same seed gives the same noise, and
   * no random state lives in the graph. Shape and seed come from inputs, never from the encoder's outputs, so no
   * gradient path runs through the random op (TF has no gradient for it).
   */
  public static Operand<TFloat32> standardNormal(Ops tf, Operand<TInt32> shape, Operand<TInt64> seed) {
    return tf.random.statelessRandomNormal(shape, seed);
  }

  /**
   * The ELBO terms of {@code images} with noise {@code eps} [N or 1, S, latentDim]: one encoder pass, S decoder
   * passes per image.
   */
  public static Terms terms(Layers layers, VaeSpec spec, Operand<TFloat32> images, Operand<TFloat32> eps) {
    return terms(layers, spec, images, null, eps);
  }

  /**
   * The conditional ELBO's terms, log p(x|z, c) and KL(q(z|x, c) || N(0, I)), with the {@code condition} rows
   * [N, c] (null: the unconditional terms). For a regressor, log p(x|c) and a KL of 0.
   */
  public static Terms terms(Layers layers, VaeSpec spec, Operand<TFloat32> images, Operand<TFloat32> condition,
      Operand<TFloat32> eps) {
    Ops tf = layers.tf();
    Posterior q = VaeNetwork.encode(layers, images, condition, spec);
    Operand<TFloat32> z = reparameterize(tf, q, eps, spec.latentDim());
    Operand<TFloat32> raw = VaeNetwork.output(layers, z, Condition.perSample(tf, condition, eps), spec);
    // a regressor's point posterior at 0 is no distribution over z: it has no KL, and its ELBO is log p(x|c)
    Operand<TFloat32> klPerDim = spec.regressor() ? tf.zerosLike(q.mean()) : klPerDimension(tf, q);
    Operand<TFloat32> perSample = PixelLikelihood.perSample(tf, spec, raw, images);
    return new Terms(q, tf.math.mean(perSample, tf.constant(1)), klPerDim, tf.sum(klPerDim, tf.constant(1)),
        perSample);
  }

  /**
   * The importance-weighted bound of each image (Burda et al. 2016), [N]: log (1/S) sum_s p(x, z_s) / q(z_s|x)
   * over the S samples of {@code terms}, made with {@code eps} [N, S, latentDim]. S = 1 is a one-sample ELBO (with
   * the KL sampled, not in closed form); larger S tightens it towards log p(x). Its gradient flows through every
   * sample, weighted by its normalized importance weight.
   */
  public static Operand<TFloat32> importanceWeightedBound(Ops tf, Terms terms, Operand<TFloat32> eps) {
    Operand<TFloat32> logWeights = ImportanceSampling.logWeights(tf, terms.posterior(), eps, terms.perSample());
    Operand<TFloat32> samples = tf.dtypes.cast(tf.slice(tf.shape(logWeights), tf.constant(new int[] {1}),
        tf.constant(new int[] {1})), TFloat32.class);
    // log-mean-exp with the row maximum taken out; the maximum carries no gradient of its own
    Operand<TFloat32> max = tf.stopGradient(tf.max(logWeights, tf.constant(1), org.tensorflow.op.core.Max.keepDims(true)));
    Operand<TFloat32> sum = tf.sum(tf.math.exp(tf.math.sub(logWeights, max)), tf.constant(1));
    return tf.math.sub(tf.math.add(tf.math.log(sum), tf.squeeze(max, org.tensorflow.op.core.Squeeze.axis(List.of(1L)))),
        tf.math.log(tf.reshape(samples, tf.constant(new int[0]))));
  }
}
