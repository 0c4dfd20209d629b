package org.vae4j.serve;

import org.vae4j.contract.Given;

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
    return squaredErrors(images, Given.NONE);
  }

  /** The same with what the model is conditioned on (as {@link Vae#encode(float[][], Given)} takes it). */
  public Vae.SquaredErrors squaredErrors(float[][] images, Given given) {
    float[][] c = vae.scoreColumns(images, given);
    return new Vae.SquaredErrors(c[0], c[1], c[2]);
  }
}
