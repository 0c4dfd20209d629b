package org.vae4j.serve;

/**
 * How a model scores images, fixed by its likelihood when it is loaded: an {@link ElboScorer} (ELBO, its terms,
 * the importance-sampled log-likelihood) for Bernoulli and Gaussian models, a {@link LossScorer} (squared error +
 * KL, a loss and not a bound) for models trained with mse. Get it from {@link Vae#scorer()}, or {@link
 * Vae#likelihood()} and {@link Vae#loss()}.
 */
public sealed interface Scorer permits ElboScorer, LossScorer {}
