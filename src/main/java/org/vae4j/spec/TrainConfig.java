package org.vae4j.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.VaeException;

/**
 * How to train: every option of {@code vae train} that is not part of the model's shape.
 *
 * @param epochs passes over the training images
 * @param batchSize images per step (at least 2: batch norm needs a batch variance)
 * @param seed seeds initial weights, data order, binarization and noise
 * @param limit use only the first {@code limit} training images; 0 for all
 * @param optimizer the optimizer, its learning-rate schedule and clipping
 * @param objective KL weighting, free bits, Monte Carlo samples, binarization
 */
public record TrainConfig(int epochs, int batchSize, long seed, int limit, OptimizerConfig optimizer,
    ObjectiveConfig objective) {

  /** Epochs of {@code vae train} unless told otherwise. */
  public static final int DEFAULT_EPOCHS = 10;
  /** Images per step unless told otherwise. */
  public static final int DEFAULT_BATCH = 128;
  /** The base learning rate unless told otherwise: Adam's usual 0.001. */
  public static final float DEFAULT_LEARNING_RATE = 1e-3f;
  /** The seed unless told otherwise. */
  public static final long DEFAULT_SEED = 42L;

  /**
   * Checks the options.
   *
   * @throws VaeException naming the setting when epochs is not 1 to 100000, batchSize not 2 to 65536, or limit
   *     negative
   */
  public TrainConfig {
    if (epochs < 1 || epochs > 100_000) {
      throw VaeException.setting("epochs must be between 1 and 100000, got " + epochs, "epochs");
    }
    if (batchSize < 2 || batchSize > 65_536) {
      throw VaeException.setting("batchSize must be between 2 and 65536 (batch norm needs at least 2 images), got "
          + batchSize, "batchSize");
    }
    if (limit < 0) {
      throw VaeException.setting("limit must be 0 (all images) or positive, got " + limit, "limit");
    }
  }

  /** The defaults of {@code vae train}: 10 epochs, batch 128, Adam(1e-3, 0.9, 0.999, 1e-8), the ELBO, seed 42. */
  public static TrainConfig defaults() {
    return new TrainConfig(DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_SEED, 0, OptimizerConfig.adam(),
        ObjectiveConfig.elbo());
  }

  /** A copy with {@code n} epochs (the {@code --epochs} option). */
  public TrainConfig withEpochs(int n) {
    return new TrainConfig(n, batchSize, seed, limit, optimizer, objective);
  }

  /** A copy with {@code n} images per step (the {@code --batch-size} option). */
  public TrainConfig withBatchSize(int n) {
    return new TrainConfig(epochs, n, seed, limit, optimizer, objective);
  }

  /** A copy with seed {@code s} (the {@code --seed} option). */
  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, s, limit, optimizer, objective);
  }

  /** A copy that trains on the first {@code n} training images only, 0 for all (the {@code --limit} option). */
  public TrainConfig withLimit(int n) {
    return new TrainConfig(epochs, batchSize, seed, n, optimizer, objective);
  }

  /** A copy whose optimizer has base learning rate {@code lr} (the {@code --learning-rate} option). */
  public TrainConfig withLearningRate(float lr) {
    return withOptimizer(optimizer.withLearningRate(lr));
  }

  /** A copy with optimizer settings {@code o}. */
  public TrainConfig withOptimizer(OptimizerConfig o) {
    return new TrainConfig(epochs, batchSize, seed, limit, o, objective);
  }

  /** A copy with objective settings {@code o}. */
  public TrainConfig withObjective(ObjectiveConfig o) {
    return new TrainConfig(epochs, batchSize, seed, limit, optimizer, o);
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
    m.putAll(optimizer.toMap());
    m.putAll(objective.toMap());
    m.put("seed", seed);
    m.put("limit", limit);
    return m;
  }
}
