package org.vae4j.serve;

import org.vae4j.contract.Given;

/**
 * The scores of a model with a likelihood, in nats per image. Thread-safe like its {@link Vae}. A conditional
 * model's calls take what it is conditioned on as a {@link Given}, as {@link Vae#encode(float[][], Given)} does;
 * its scores are then conditional: log p(x|label), or log p(Y|X) of a partial-input model.
 */
public final class ElboScorer implements Scorer {
  private final Vae vae;

  ElboScorer(Vae vae) {
    this.vae = vae;
  }

  /** Per-image ELBO, reconstruction log-likelihood and KL (the score signature: 8 fixed draws per image). */
  public Vae.Scores score(float[][] images) {
    return score(images, Given.NONE);
  }

  /**
   * The same with what the model is conditioned on: log p(x|z, c) - KL(q(z|x, c) || N(0, I)), c the label of each
   * image, or X the pixels a random-mask model's mask of each image marks.
   */
  public Vae.Scores score(float[][] images, Given given) {
    float[][] c = vae.scoreColumns(images, given);
    return new Vae.Scores(c[0], c[1], c[2]);
  }

  /**
   * The importance-sampled estimate of log p(x) of each image (Burda et al. 2016): log of the mean of
   * p(x, z_k) / q(z_k|x) over {@code samples} codes z_k drawn from the encoder's q(z|x). It is a lower bound in
   * expectation that tightens as {@code samples} grows; 1 sample gives an ELBO estimate, 5000 is the published
   * protocol. Memory stays bounded: the samples are decoded 2048 at a time. The same arguments give the same
   * answers.
   */
  public double[] logLikelihood(float[][] images, int samples, long seed) {
    return logLikelihood(images, Given.NONE, samples, seed);
  }

  /** The same with what the model is conditioned on: log p(x|label), or log p(Y|X). */
  public double[] logLikelihood(float[][] images, Given given, int samples, long seed) {
    return importance(images, given, samples, seed, null).logLikelihood();
  }

  /**
   * Both estimates of {@link Vae.Importance} from the same importance weights, telling {@code progress} (may be
   * null) after every call; the arguments are those of {@link #logLikelihood}.
   *
   * @throws IllegalArgumentException when samples is not between 1 and {@link Vae#MAX_IMPORTANCE_SAMPLES}
   */
  public Vae.Importance importance(float[][] images, Given given, int samples, long seed, Vae.Progress progress) {
    return importance(images, given, samples, seed, 0, progress);
  }

  /**
   * The estimates of a later part of a longer list, each image's exactly what one call over the whole list gives
   * it: {@code images} (with what is given with them) are the list's from position {@code offset}, a multiple of
   * {@link #importanceBlock}. A long evaluation computes its list part by part this way and resumes after a stop
   * with the same answers.
   */
  public Vae.Importance importance(float[][] images, Given given, int samples, long seed, int offset,
      Vae.Progress progress) {
    if (samples < 1 || samples > Vae.MAX_IMPORTANCE_SAMPLES) {
      throw new IllegalArgumentException("samples must be between 1 and " + Vae.MAX_IMPORTANCE_SAMPLES + ", got "
          + samples);
    }
    return ImportanceSampler.estimate(vae, images, vae.checkImages(images, given), samples, seed, offset,
        progress);
  }

  /**
   * The images one importance-sampling call holds at {@code samples} samples each (1 from 2048 samples on): where
   * a list's estimate can be cut into parts for {@link #importance(float[][], Given, int, long, int,
   * Vae.Progress)}.
   */
  public static int importanceBlock(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be at least 1, got " + samples);
    }
    return ImportanceSampler.block(samples);
  }

  /** The most log weights {@link #logWeights} returns in one call (images x samples): 64 MB of floats. */
  public static final long MAX_LOG_WEIGHTS = 16L << 20;

  /**
   * The {@code log_weights} signature itself, as TF Serving answers it: {@code samples} values log p(x, z_k) - log
   * q(z_k|x) per image from one call with this seed, with what the model is conditioned on.
   *
   * @throws IllegalArgumentException on inputs {@code score} would refuse, samples below 1, or more than {@link
   *     #MAX_LOG_WEIGHTS} values in all
   */
  public float[][] logWeights(float[][] images, Given given, int samples, long seed) {
    Given.Feed feed = vae.checkImages(images, given);
    if (samples < 1 || (long) images.length * samples > MAX_LOG_WEIGHTS) {
      throw new IllegalArgumentException("samples must be at least 1 and images x samples at most "
          + MAX_LOG_WEIGHTS + ", got " + samples + " for " + images.length + " images");
    }
    return ImportanceSampler.weights(vae, images, feed, samples, seed);
  }
}
