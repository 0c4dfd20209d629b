package org.vae4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.VaeException;

/**
 * How to train: every option of {@code vae train} that is not part of the model's shape.
 *
 * @param epochs passes over the training images
 * @param batchSize images per step (at least 2: batch norm needs a batch variance)
 * @param learningRate Adam's step size
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator guard
 * @param seed seeds initial weights, data order and noise
 * @param limit use only the first {@code limit} training images; 0 for all
 */
public record TrainConfig(int epochs, int batchSize, float learningRate, float beta1, float beta2, float epsilon,
    long seed, int limit) {

  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH = 128;
  public static final float DEFAULT_LEARNING_RATE = 1e-3f;
  public static final long DEFAULT_SEED = 42L;

  public TrainConfig {
    if (epochs < 1 || epochs > 100_000) {
      throw new VaeException("--epochs must be between 1 and 100000, got " + epochs);
    }
    if (batchSize < 2 || batchSize > 65_536) {
      throw new VaeException("--batch-size must be between 2 and 65536 (batch norm needs at least 2 images), got "
          + batchSize);
    }
    if (!(learningRate > 0) || !Float.isFinite(learningRate) || learningRate > 10) {
      throw new VaeException("--learning-rate must be a number in (0, 10], got " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new VaeException("Adam's beta1 and beta2 must lie in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new VaeException("Adam's epsilon must be positive, got " + epsilon);
    }
    if (limit < 0) {
      throw new VaeException("--limit must be 0 (all images) or positive, got " + limit);
    }
  }

  /** The defaults of {@code vae train}: 10 epochs, batch 128, Adam(1e-3, 0.9, 0.999, 1e-8), seed 42. */
  public static TrainConfig defaults() {
    return new TrainConfig(DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_LEARNING_RATE, 0.9f, 0.999f, 1e-8f, DEFAULT_SEED,
        0);
  }

  public TrainConfig withEpochs(int n) {
    return new TrainConfig(n, batchSize, learningRate, beta1, beta2, epsilon, seed, limit);
  }

  public TrainConfig withBatchSize(int n) {
    return new TrainConfig(epochs, n, learningRate, beta1, beta2, epsilon, seed, limit);
  }

  public TrainConfig withLearningRate(float lr) {
    return new TrainConfig(epochs, batchSize, lr, beta1, beta2, epsilon, seed, limit);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, learningRate, beta1, beta2, epsilon, s, limit);
  }

  public TrainConfig withLimit(int n) {
    return new TrainConfig(epochs, batchSize, learningRate, beta1, beta2, epsilon, seed, n);
  }

  /** A float as the decimal it was written as (0.001, not 0.0010000000474974513). */
  static double decimal(float f) {
    return Double.parseDouble(Float.toString(f));
  }

  /** The options as the model card records them. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("optimizer", "adam");
    m.put("learning_rate", decimal(learningRate));
    m.put("beta1", decimal(beta1));
    m.put("beta2", decimal(beta2));
    m.put("epsilon", decimal(epsilon));
    m.put("seed", seed);
    m.put("limit", limit);
    return m;
  }
}
