package org.vae4j.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.json.Json;
import org.vae4j.model.Likelihood;
import org.vae4j.train.Evaluation;

/** What a run writes down about itself: the card's figures, and how recorded settings are compared. */
final class RunRecords {
  private RunRecords() {}

  /** The model card's figures: an ELBO and its terms, or for mse the loss and its terms. */
  static Map<String, Double> metrics(Evaluation test, Evaluation train, Likelihood likelihood) {
    Map<String, Double> m = new LinkedHashMap<>();
    boolean elbo = likelihood.isLikelihood();
    m.put(elbo ? "test_elbo" : "test_loss", elbo ? test.elbo() : -test.elbo());
    m.put(elbo ? "test_reconstruction_log_likelihood" : "test_squared_error",
        elbo ? test.reconstructionLogLikelihood() : -test.reconstructionLogLikelihood());
    m.put("test_kl", test.kl());
    if (train != null) {
      m.put(elbo ? "train_elbo" : "train_loss", elbo ? train.elbo() : -train.elbo());
    }
    m.put("test_active_dimensions", (double) test.activeDimensions());
    return m;
  }

  /** Equal as JSON: numbers compare by value whether they were written as float, double or long. */
  static boolean same(Object recorded, Object now) {
    return Json.writeLine(recorded).equals(
        Json.writeLine(Json.parse(Json.writeLine(now))));
  }
}
