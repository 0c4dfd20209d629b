package org.vae4j.serve;

import java.util.Arrays;
import org.tensorflow.Tensor;
import org.vae4j.contract.Given;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.internal.util.LogMeanExp;

/**
 * Importance sampling through the {@code log_weights} signature: K weights per image in calls of at most {@link
 * Vae#IMPORTANCE_BATCH} decodings, averaged in log space (the importance-sampled log p(x)) and as logs (the ELBO).
 * Each call's seed comes from the caller's seed and the call's index, so the same arguments give the same answers,
 * and a list's later part, started at a block boundary with its offset, gets exactly what the whole list's call
 * gives it: how a long evaluation resumes.
 */
final class ImportanceSampler {
  private ImportanceSampler() {}

  /** The images one call holds: a resumed estimate must start at a multiple of it. */
  static int block(int samples) {
    return Math.max(1, Vae.IMPORTANCE_BATCH / Math.min(samples, Vae.IMPORTANCE_BATCH));
  }

  /**
   * The estimates of {@code images}, which are a list's images from position {@code offset} (a multiple of {@link
   * #block}) on: calls are numbered as in one call over the whole list.
   */
  static Vae.Importance estimate(Vae vae, float[][] images, Given.Feed feed, int samples, long seed, int offset,
      Vae.Progress progress) {
    int[] shape = vae.imageShape();
    int perCall = Math.min(samples, Vae.IMPORTANCE_BATCH);
    int imagesPerCall = block(samples);
    if (offset < 0 || offset % imagesPerCall != 0) {
      throw new IllegalArgumentException("offset must be a multiple of " + imagesPerCall + " (the images of one"
          + " call at " + samples + " samples), got " + offset);
    }
    long total = (long) images.length * samples;
    long done = 0;
    long call = (long) (offset / imagesPerCall) * ((samples + perCall - 1) / perCall);
    double[] out = new double[images.length];
    double[] elbo = new double[images.length];
    for (int from = 0; from < images.length; from += imagesPerCall) {
      int to = Math.min(images.length, from + imagesPerCall);
      float[][] part = Arrays.copyOfRange(images, from, to);
      LogMeanExp[] means = new LogMeanExp[part.length];
      double[] sums = new double[part.length];
      for (int i = 0; i < part.length; i++) {
        means[i] = new LogMeanExp();
      }
      Given.Feed given = feed.slice(from, to);
      try (Tensor x = Tensors.rows(part, shape[0], shape[1], shape[2])) {
        for (int k = 0; k < samples; k += perCall) {
          int n = Math.min(perCall, samples - k);
          long callSeed = seed * 0x9E3779B97F4A7C15L + call++;
          float[] weights = vae.runner().logWeights(x, given, n, callSeed);
          for (int i = 0; i < part.length; i++) {
            for (int j = 0; j < n; j++) {
              means[i].add(weights[i * n + j]);
              sums[i] += weights[i * n + j];
            }
          }
          done += (long) part.length * n;
          if (progress != null) {
            progress.update(done, total);
          }
        }
      }
      for (int i = 0; i < part.length; i++) {
        out[from + i] = means[i].value();
        elbo[from + i] = sums[i] / samples;
      }
    }
    return new Vae.Importance(out, elbo);
  }

  /** One call of the log_weights signature on checked inputs: {@code samples} weights per image. */
  static float[][] weights(Vae vae, float[][] images, Given.Feed feed, int samples, long seed) {
    int[] shape = vae.imageShape();
    float[][] out = new float[images.length][];
    if (images.length == 0) {
      return out;
    }
    try (Tensor x = Tensors.rows(images, shape[0], shape[1], shape[2])) {
      float[] flat = vae.runner().logWeights(x, feed, samples, seed);
      for (int i = 0; i < out.length; i++) {
        out[i] = Arrays.copyOfRange(flat, i * samples, (i + 1) * samples);
      }
    }
    return out;
  }
}
