package org.vae4j.spec;

import org.vae4j.Choice;

/** The decoder's distribution p(x|z) over pixel values in [0, 1]; the math is in docs/ARCHITECTURE.md. */
public enum Likelihood implements Choice {
  /**
   * Independent Bernoulli pixels with the decoder's logits (stable form); gray levels act as soft targets (the
   * continuous-valued cross-entropy), binarized pixels give the classic binarized-MNIST likelihood.
   */
  BERNOULLI(1),
  /**
   * Independent Gaussian pixels N(mean, sigma^2) with a fixed {@code --sigma}; the log-likelihood keeps the
   * -0.5 log(2 pi sigma^2) constant, so ELBOs are true nats. Sigma sets the weight of reconstruction against KL.
   */
  GAUSSIAN(1),
  /** Gaussian pixels whose log-variance the decoder outputs per pixel (as Deeplearning4j's VAE). */
  GAUSSIAN_LEARNED(2),
  /** Plain squared error plus KL: a loss, not a likelihood, and reported as such. */
  MSE(1),
  /**
   * The discretized logistic of 8-bit pixels (PixelCNN++, IAF): each value v / 255 gets the mass of a logistic of
   * the decoder's mean and log-scale over its bin [v - 0.5, v + 0.5] / 255, the end bins open to the infinities,
   * so the masses of the 256 values sum to 1 and the ELBO bounds a true log-likelihood of the 8-bit image, in
   * nats and in bits per dimension.
   */
  LOGISTIC(2);

  private final int outputsPerChannel;

  Likelihood(int outputsPerChannel) {
    this.outputsPerChannel = outputsPerChannel;
  }

  /** Raw decoder outputs per pixel and channel: a mean logit, and for the learned Gaussian a log-variance. */
  public int outputsPerChannel() {
    return outputsPerChannel;
  }

  /** False for {@link #MSE}: its reconstruction term is a squared error and its objective no ELBO. */
  public boolean isLikelihood() {
    return this != MSE;
  }

  /**
   * Whether the likelihood is a probability mass over the 256 values of 8-bit pixels, so that -log p(x) / (H W C
   * ln 2) is the bits per dimension the literature reports for natural images.
   */
  public boolean isDiscrete() {
    return this == LOGISTIC;
  }

  /**
   * The likelihood labelled {@code text}.
   *
   * @throws org.vae4j.VaeException naming {@code likelihood} when {@code text} is none of the labels
   */
  public static Likelihood parse(String text) {
    return Choice.parse(Likelihood.class, text, "likelihood");
  }
}
