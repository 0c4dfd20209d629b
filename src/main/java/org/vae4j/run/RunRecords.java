package org.vae4j.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.data.Dataset;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.train.Checkpoints;
import org.vae4j.spec.Evaluation;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/** What a run writes down about itself: the card's figures, and how recorded settings are compared. */
final class RunRecords {
  private RunRecords() {}

  /** The model card's figures: an ELBO and its terms, or for mse the loss and its terms. */
  static Map<String, Double> metrics(Evaluation test, Evaluation train, VaeSpec spec) {
    Map<String, Double> m = new LinkedHashMap<>();
    boolean elbo = spec.likelihood().isLikelihood();
    m.put(elbo ? "test_elbo" : "test_loss", elbo ? test.elbo() : -test.elbo());
    m.put(elbo ? "test_reconstruction_log_likelihood" : "test_squared_error",
        elbo ? test.reconstructionLogLikelihood() : -test.reconstructionLogLikelihood());
    m.put("test_kl", test.kl());
    if (train != null) {
      m.put(elbo ? "train_elbo" : "train_loss", elbo ? train.elbo() : -train.elbo());
    }
    m.put("test_active_dimensions", (double) test.activeDimensions());
    if (spec.bitsPerDimPerNat() > 0) {
      m.put("test_elbo_bits_per_dim", -test.elbo() * spec.bitsPerDimPerNat());
    }
    return m;
  }

  /** Equal as JSON: numbers compare by value whether they were written as float, double or long. */
  static boolean same(Object recorded, Object now) {
    return Json.writeLine(recorded).equals(
        Json.writeLine(Json.parse(Json.writeLine(now))));
  }

  /** The card's training record: every training option, the run's own settings, and what was exported. */
  static Map<String, Object> training(TrainConfig config, RunOptions options, Checkpoints.Saved exported,
      String startedFrom, Weights weights) {
    Map<String, Object> m = new LinkedHashMap<>(config.toMap());
    m.put("test_data", config.objective().binarization().testData());
    m.put("validation_images", options.validation());
    m.put("early_stopping", options.patience());
    m.put("on_nan", options.onNan().label());
    m.put("exported_epoch", exported.state().progress().epoch() - 1);
    m.put("exported_steps", exported.state().steps());
    m.put("skipped_batches", exported.state().skippedBatches());
    if (startedFrom != null) {
      m.put("init_from", startedFrom);
    }
    if (weights == Weights.AVERAGED) {
      m.put("exported_weights", "moving average, decay " + config.optimizer().emaDecay());
    }
    return m;
  }

  /** What spec.json records: the model, the data's counts, the validation split, the training options. */
  static Map<String, Object> spec(VaeSpec spec, TrainConfig config, RunOptions options, Dataset prepared,
      String startedFrom, List<String> arguments) {
    Map<String, Object> m = new LinkedHashMap<>(spec.toMap());
    if (prepared != null) {
      m.put("dataset", prepared.name());
      m.put("training_images", prepared.train().count());
      m.put("test_images", prepared.test().count());
    }
    m.put("validation_images", options.validation());
    if (startedFrom != null) {
      m.put("init_from", startedFrom);
    }
    Map<String, Object> training = new LinkedHashMap<>(config.toMap());
    training.put("test_data", config.objective().binarization().testData());
    m.put("training", training);
    m.put("arguments", new ArrayList<>(arguments));
    return m;
  }
}
