package org.vae4j.spec;

/**
 * Averages over a set of images, in nats per image.
 *
 * @param elbo the evidence lower bound, reconstruction minus KL (for mse models: minus the loss)
 * @param reconstructionLogLikelihood one-sample estimate of E_q[log p(x|z)] (for mse: minus the squared error)
 * @param kl KL(q(z|x) || p(z))
 * @param klPerDimension the KL of each latent dimension (empty where not measured)
 * @param images how many images were averaged
 */
public record Evaluation(double elbo, double reconstructionLogLikelihood, double kl, double[] klPerDimension,
    int images) {

  /** Latent dimensions whose average KL exceeds 0.01 nats: the ones the model uses. */
  public int activeDimensions() {
    int n = 0;
    for (double k : klPerDimension) {
      if (k > 0.01) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Evaluation e && elbo == e.elbo && reconstructionLogLikelihood == e.reconstructionLogLikelihood
        && kl == e.kl && java.util.Arrays.equals(klPerDimension, e.klPerDimension) && images == e.images;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(elbo, reconstructionLogLikelihood, kl, images)
        + 31 * java.util.Arrays.hashCode(klPerDimension);
  }
}
