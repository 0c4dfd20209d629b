package org.vae4j.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The terms of the evidence lower bound, per image and in nats:
 * ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || N(0, I)).
 */
public final class Objective {
  private Objective() {}

  /** Per-image reconstruction log-likelihood and KL; both [N]. */
  public record Terms(Operand<TFloat32> reconstruction, Operand<TFloat32> kl) {}

  /**
   * Bernoulli log-likelihood of pixel values x in [0, 1] under decoder logits l, summed over the pixels of each
   * image: sum(x * l - softplus(l)). This equals sum(x log sigmoid(l) + (1 - x) log(1 - sigmoid(l))) without ever
   * taking the log of a sigmoid that has rounded to 0 or 1. Returns [N].
   */
  public static Operand<TFloat32> bernoulliLogLikelihood(Ops tf, Operand<TFloat32> logits,
      Operand<TFloat32> images, int imageSize) {
    Operand<TInt32> rows = tf.constant(new int[] {-1, imageSize});
    return sumOverLastAxis(tf, bernoulliPerPixel(tf, tf.reshape(logits, rows), tf.reshape(images, rows)));
  }

  /**
   * The Bernoulli log-likelihood averaged over S decodings of each image: logits [N * S, H, W, C] (the S
   * decodings of image n are rows n * S .. n * S + S - 1), images [N, H, W, C]. Returns [N].
   */
  public static Operand<TFloat32> bernoulliLogLikelihoodOverSamples(Ops tf, Operand<TFloat32> logits,
      Operand<TFloat32> images, int samples, int imageSize) {
    Operand<TFloat32> l = tf.reshape(logits, tf.constant(new int[] {-1, samples, imageSize}));
    Operand<TFloat32> x = tf.reshape(images, tf.constant(new int[] {-1, 1, imageSize}));
    return tf.math.mean(sumOverLastAxis(tf, bernoulliPerPixel(tf, l, x)), tf.constant(1));
  }

  private static Operand<TFloat32> bernoulliPerPixel(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> x) {
    return tf.math.sub(tf.math.mul(x, logits), tf.math.softplus(logits));
  }

  private static Operand<TFloat32> sumOverLastAxis(Ops tf, Operand<TFloat32> x) {
    return tf.sum(x, tf.constant(-1));
  }

  /**
   * KL(N(mean, stddev^2) || N(0, 1)) summed over latent dimensions:
   * 0.5 * sum(mean^2 + stddev^2 - 2 log stddev - 1).
   */
  public static Operand<TFloat32> klToStandardNormal(Ops tf, Posterior q) {
    Operand<TFloat32> perDim = tf.math.sub(
        tf.math.add(tf.math.square(q.mean()), tf.math.square(q.stddev())),
        tf.math.add(tf.math.mul(tf.constant(2f), tf.math.log(q.stddev())), tf.constant(1f)));
    return tf.math.mul(tf.constant(0.5f), tf.sum(perDim, tf.constant(1)));
  }

  /** z = mean + stddev * eps. */
  public static Operand<TFloat32> reparameterize(Ops tf, Posterior q, Operand<TFloat32> eps) {
    return tf.math.add(q.mean(), tf.math.mul(q.stddev(), eps));
  }

  /**
   * Standard normal noise [rows, cols] from a stateless generator: the same seed gives the same noise, and no
   * random state lives in the graph. Its shape and seed come from inputs, never from the encoder's outputs, so no
   * gradient path runs through the random op (TF has no gradient for it).
   */
  public static Operand<TFloat32> standardNormal(Ops tf, Operand<TInt32> rows, int cols, Operand<TInt64> seed) {
    Operand<TInt32> shape = tf.concat(List.of(tf.reshape(rows, tf.constant(new int[] {1})),
        tf.constant(new int[] {cols})), tf.constant(0));
    return tf.random.statelessRandomNormal(shape, seed);
  }

  /** The number of images in a [N, ...] batch, as a scalar. */
  public static Operand<TInt32> batchSize(Ops tf, Operand<TFloat32> batch) {
    return tf.reshape(tf.slice(tf.shape(batch), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
        tf.constant(new int[0]));
  }

  /** One-sample ELBO terms of {@code images} with noise {@code eps} [N, latentDim]. */
  public static Terms elbo(Layers layers, VaeSpec spec, Operand<TFloat32> images, Operand<TFloat32> eps) {
    Ops tf = layers.tf();
    Posterior q = VaeNetwork.encode(layers, images, spec);
    Operand<TFloat32> logits = VaeNetwork.logits(layers, reparameterize(tf, q, eps), spec);
    return new Terms(bernoulliLogLikelihood(tf, logits, images, spec.image().size()), klToStandardNormal(tf, q));
  }
}
