package org.vae4j.serve;

/**
 * The scores of a model trained with mse: squared error + KL, a loss and not a likelihood, so no ELBO and no
 * log-likelihood. Thread-safe like its {@link Vae}.
 */
public final class LossScorer implements Scorer {
  private final Vae vae;

  LossScorer(Vae vae) {
    this.vae = vae;
  }

  /** Per-image loss, squared error and KL. */
  public Vae.SquaredErrors squaredErrors(float[][] images) {
    return columns(images, null, null);
  }

  /** The same for a label-conditioned model, one label per image ({@code null} for an unconditional model). */
  public Vae.SquaredErrors squaredErrors(float[][] images, int[] labels) {
    return columns(images, labels, null);
  }

  /** The same for a random-mask model, one mask per image (a flag per value, true where observed). */
  public Vae.SquaredErrors squaredErrors(float[][] images, boolean[][] masks) {
    return columns(images, null, masks);
  }

  private Vae.SquaredErrors columns(float[][] images, int[] labels, boolean[][] masks) {
    float[][] c = vae.scoreColumns(images, labels, masks);
    return new Vae.SquaredErrors(c[0], c[1], c[2]);
  }
}
