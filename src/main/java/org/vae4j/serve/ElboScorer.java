package org.vae4j.serve;

/** The scores of a model with a likelihood, in nats per image. Thread-safe like its {@link Vae}. */
public final class ElboScorer implements Scorer {
  private final Vae vae;

  ElboScorer(Vae vae) {
    this.vae = vae;
  }

  /** Per-image ELBO, reconstruction log-likelihood and KL (the score signature: 8 fixed draws per image). */
  public Vae.Scores score(float[][] images) {
    return columns(images, null, null);
  }

  /**
   * The conditional scores of a label-conditioned model: log p(x|z, label) - KL(q(z|x, label) || N(0, I)), one
   * label per image ({@code null} for an unconditional model).
   */
  public Vae.Scores score(float[][] images, int[] labels) {
    return columns(images, labels, null);
  }

  /**
   * The conditional scores of a random-mask model: log p(Y|z, X) - KL(q(z|Y, X) || N(0, I)), X each image's values
   * where its mask (one per image, a flag per value) is true.
   */
  public Vae.Scores score(float[][] images, boolean[][] masks) {
    return columns(images, null, masks);
  }

  private Vae.Scores columns(float[][] images, int[] labels, boolean[][] masks) {
    float[][] c = vae.scoreColumns(images, labels, masks);
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
    return logLikelihood(images, samples, seed, null);
  }

  /** {@link #logLikelihood(float[][], int, long)}, telling {@code progress} (may be null) after every call. */
  public double[] logLikelihood(float[][] images, int samples, long seed, Vae.Progress progress) {
    return estimate(images, null, null, samples, seed, progress).logLikelihood();
  }

  /**
   * Both estimates of {@link Vae.Importance} from the same importance weights; the arguments are those of {@link
   * #logLikelihood}.
   *
   * @throws IllegalArgumentException when samples is not between 1 and {@link Vae#MAX_IMPORTANCE_SAMPLES}
   */
  public Vae.Importance importance(float[][] images, int samples, long seed, Vae.Progress progress) {
    return estimate(images, null, null, samples, seed, progress);
  }

  /**
   * The same for a label-conditioned model, one label per image: estimates of log p(x|label) (null labels for an
   * unconditional model).
   */
  public Vae.Importance importance(float[][] images, int[] labels, int samples, long seed, Vae.Progress progress) {
    return estimate(images, labels, null, samples, seed, progress);
  }

  /**
   * The same for a random-mask model, one mask per image (a flag per value, true where observed): estimates of
   * log p(Y|X).
   */
  public Vae.Importance importance(float[][] images, boolean[][] masks, int samples, long seed,
      Vae.Progress progress) {
    return estimate(images, null, masks, samples, seed, progress);
  }

  /**
   * The images one importance-sampling call holds at {@code samples} samples each (1 from 2048 samples on): where
   * a list's estimate can be cut into parts that {@link #importance(float[][], int[], boolean[][], int, long, int,
   * Vae.Progress)} computes one at a time.
   */
  public static int importanceBlock(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be at least 1, got " + samples);
    }
    return ImportanceSampler.block(samples);
  }

  /**
   * The estimates of a later part of a longer list, each image's exactly what one call over the whole list gives
   * it: {@code images} (with their labels, or masks, null when the model takes none) are the list's from position
   * {@code offset}, a multiple of {@link #importanceBlock}. A long evaluation computes its list part by part this
   * way and resumes after a stop with the same answers.
   */
  public Vae.Importance importance(float[][] images, int[] labels, boolean[][] masks, int samples, long seed,
      int offset, Vae.Progress progress) {
    return estimate(images, labels, masks, samples, seed, offset, progress);
  }

  private Vae.Importance estimate(float[][] images, int[] labels, boolean[][] masks, int samples, long seed,
      Vae.Progress progress) {
    return estimate(images, labels, masks, samples, seed, 0, progress);
  }

  private Vae.Importance estimate(float[][] images, int[] labels, boolean[][] masks, int samples, long seed,
      int offset, Vae.Progress progress) {
    if (samples < 1 || samples > Vae.MAX_IMPORTANCE_SAMPLES) {
      throw new IllegalArgumentException("samples must be between 1 and " + Vae.MAX_IMPORTANCE_SAMPLES + ", got "
          + samples);
    }
    vae.checkImages(images);
    float[][] m = vae.checkMasks(masks, images.length, "image");
    vae.checkLabels(labels, images.length, "image");
    return ImportanceSampler.estimate(vae, images, labels, m, samples, seed, offset, progress);
  }

  /** log p(x|label) of each image of a label-conditioned model (see {@link #logLikelihood(float[][], int, long)}). */
  public double[] logLikelihood(float[][] images, int[] labels, int samples, long seed) {
    return estimate(images, labels, null, samples, seed, null).logLikelihood();
  }

  /** log p(Y|X) of each image of a random-mask model, one mask per image. */
  public double[] logLikelihood(float[][] images, boolean[][] masks, int samples, long seed) {
    return estimate(images, null, masks, samples, seed, null).logLikelihood();
  }

  /** The most log weights {@link #logWeights} returns in one call (images x samples): 64 MB of floats. */
  public static final long MAX_LOG_WEIGHTS = 16L << 20;

  /**
   * The {@code log_weights} signature itself, as TF Serving answers it: {@code samples} values log p(x, z_k) - log
   * q(z_k|x) per image from one call with this seed. Labels (a label-conditioned model) and masks (a random-mask
   * model) go with the images, null when the model takes none.
   *
   * @throws IllegalArgumentException on inputs {@code score} would refuse, samples below 1, or more than {@link
   *     #MAX_LOG_WEIGHTS} values in all
   */
  public float[][] logWeights(float[][] images, int[] labels, boolean[][] masks, int samples, long seed) {
    vae.checkImages(images);
    if (samples < 1 || (long) images.length * samples > MAX_LOG_WEIGHTS) {
      throw new IllegalArgumentException("samples must be at least 1 and images x samples at most "
          + MAX_LOG_WEIGHTS + ", got " + samples + " for " + images.length + " images");
    }
    float[][] m = vae.checkMasks(masks, images.length, "image");
    vae.checkLabels(labels, images.length, "image");
    return ImportanceSampler.weights(vae, images, labels, m, samples, seed);
  }
}
