package org.vae4j.run;

import org.vae4j.VaeException;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/**
 * The rules between settings of different records (each record checks its own fields): what a model, its training
 * options and the run's options must agree on. Messages name the fields.
 */
final class Compatibility {
  private Compatibility() {}

  static void check(VaeSpec spec, TrainConfig config, RunOptions options) {
    double balance = config.objective().klBalance();
    Likelihood likelihood = spec.likelihood();
    // a Gaussian log-density can be positive, so its "reconstruction error" can be negative and the rule stalls
    if (balance > 0 && likelihood != Likelihood.BERNOULLI && likelihood != Likelihood.MSE
        && likelihood != Likelihood.LOGISTIC) {
      throw VaeException.setting("klBalance applies only with likelihood bernoulli, logistic or mse, whose"
          + " reconstruction error is never negative; got " + likelihood.label(), "klBalance", "likelihood");
    }
    if (config.objective().bound() == org.vae4j.spec.ObjectiveConfig.Bound.IWAE && !likelihood.isLikelihood()) {
      throw VaeException.setting("bound iwae needs a likelihood; mse is a squared error, not a density", "bound",
          "likelihood");
    }
    if (options.validation() > 0 && config.limit() > 0 && options.validation() >= config.limit()) {
      throw VaeException.setting("validation (" + options.validation() + " images) must leave training images of"
          + " the " + config.limit() + " that limit keeps", "validation", "limit");
    }
  }

  /** A label-conditioned model needs a label in [0, classes) for every training and test image. */
  static void checkLabels(VaeSpec spec, org.vae4j.data.Dataset data) {
    if (!spec.labelled()) {
      return;
    }
    for (org.vae4j.data.ImageSet set : java.util.List.of(data.train(), data.test())) {
      String which = set == data.train() ? "training" : "test";
      if (!set.hasLabels()) {
        throw VaeException.setting("a model conditioned on a label (classes " + spec.classes() + ") needs labelled"
            + " data, but the " + which + " images of " + data.name() + " have no labels", "classes");
      }
      for (int i = 0; i < set.count(); i++) {
        if (set.label(i) < 0 || set.label(i) >= spec.classes()) {
          throw VaeException.setting(which + " image " + i + " of " + data.name() + " has label " + set.label(i)
              + ", outside the model's classes 0.." + (spec.classes() - 1), "classes");
        }
      }
    }
  }
}
