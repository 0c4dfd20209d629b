package org.vae4j.train;

/**
 * Averages over a set of images, in nats per image.
 *
 * @param elbo the evidence lower bound (a negative number for images with probability below 1)
 * @param reconstructionLogLikelihood one-sample estimate of E_q[log p(x|z)]
 * @param kl KL(q(z|x) || p(z))
 * @param images how many images were averaged
 */
public record Evaluation(double elbo, double reconstructionLogLikelihood, double kl, int images) {}
