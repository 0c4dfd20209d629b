package org.vae4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.VaeException;
import org.vae4j.util.Choice;

/**
 * How gradients become updates: the optimizer and its constants, the learning-rate schedule, and gradient clipping.
 *
 * @param kind adam, adamax, sgd, momentum or rmsprop
 * @param learningRate base step size
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's and RMSProp's denominator guard
 * @param momentum the momentum of {@code momentum} (heavy ball); ignored by the others
 * @param rho RMSProp's decay of the squared-gradient average
 * @param schedule how the learning rate changes with the step
 * @param warmupSteps linear learning-rate warm-up length (0: none)
 * @param decayRate per-epoch factor of the exponential schedule
 * @param clipValue clip every gradient element to [-clipValue, clipValue] (0: off)
 * @param clipNorm rescale all gradients together so their global norm is at most clipNorm (0: off)
 * @param emaDecay decay of an exponential moving average of the weights (Polyak averaging) that evaluation and
 *     export use instead of the last weights (0: off; 0.999 is usual)
 */
public record OptimizerConfig(Kind kind, float learningRate, float beta1, float beta2, float epsilon,
    float momentum, float rho, LearningRateSchedule.Kind schedule, int warmupSteps, double decayRate,
    float clipValue, float clipNorm, float emaDecay) {

  public enum Kind implements Choice {
    ADAM, ADAMAX, SGD, MOMENTUM, RMSPROP;

    public static Kind parse(String text) {
      return Choice.parse(Kind.class, text, "optimizer");
    }
  }

  public OptimizerConfig {
    if (!(learningRate > 0) || !Float.isFinite(learningRate) || learningRate > 10) {
      throw VaeException.setting("learningRate must be a number in (0, 10], got " + learningRate, "learningRate");
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new VaeException("Adam's beta1 and beta2 must lie in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new VaeException("the optimizer's epsilon must be positive, got " + epsilon);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw VaeException.setting("momentum must lie in [0, 1), got " + momentum, "momentum");
    }
    if (!(rho > 0 && rho < 1)) {
      throw new VaeException("RMSProp's rho must lie in (0, 1), got " + rho);
    }
    if (!(clipValue >= 0) || !Float.isFinite(clipValue)) {
      throw VaeException.setting("clipValue must be 0 (off) or positive, got " + clipValue, "clipValue");
    }
    if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
      throw VaeException.setting("clipNorm must be 0 (off) or positive, got " + clipNorm, "clipNorm");
    }
    if (!(emaDecay >= 0 && emaDecay < 1)) {
      throw VaeException.setting("emaDecay must lie in [0, 1) (0: off), got " + emaDecay, "emaDecay");
    }
    // the schedule record checks warm-up and decay rate
    new LearningRateSchedule(schedule, learningRate, warmupSteps, decayRate, 1, 1);
  }

  /** Adam(1e-3, 0.9, 0.999, 1e-8), constant rate, no clipping. */
  public static OptimizerConfig adam() {
    return new OptimizerConfig(Kind.ADAM, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.9f, 0.9f,
        LearningRateSchedule.Kind.CONSTANT, 0, 0.96, 0f, 0f, 0f);
  }

  public OptimizerConfig withKind(Kind k) {
    return new OptimizerConfig(k, learningRate, beta1, beta2, epsilon, momentum, rho, schedule, warmupSteps,
        decayRate, clipValue, clipNorm, emaDecay);
  }

  public OptimizerConfig withLearningRate(float lr) {
    return new OptimizerConfig(kind, lr, beta1, beta2, epsilon, momentum, rho, schedule, warmupSteps, decayRate,
        clipValue, clipNorm, emaDecay);
  }

  public OptimizerConfig withMomentum(float m) {
    return new OptimizerConfig(kind, learningRate, beta1, beta2, epsilon, m, rho, schedule, warmupSteps,
        decayRate, clipValue, clipNorm, emaDecay);
  }

  public OptimizerConfig withSchedule(LearningRateSchedule.Kind s, int warmup, double decay) {
    return new OptimizerConfig(kind, learningRate, beta1, beta2, epsilon, momentum, rho, s, warmup, decay,
        clipValue, clipNorm, emaDecay);
  }

  public OptimizerConfig withClipping(float value, float norm) {
    return new OptimizerConfig(kind, learningRate, beta1, beta2, epsilon, momentum, rho, schedule, warmupSteps,
        decayRate, value, norm, emaDecay);
  }

  /** With an exponential moving average of the weights for evaluation and export (0: none). */
  public OptimizerConfig withEma(float decay) {
    return new OptimizerConfig(kind, learningRate, beta1, beta2, epsilon, momentum, rho, schedule, warmupSteps,
        decayRate, clipValue, clipNorm, decay);
  }

  /** The schedule for a run of {@code totalSteps} steps with {@code stepsPerEpoch} per epoch. */
  public LearningRateSchedule scheduleFor(long stepsPerEpoch, long totalSteps) {
    return new LearningRateSchedule(schedule, learningRate, warmupSteps, decayRate, stepsPerEpoch, totalSteps);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", kind.label());
    m.put("learning_rate", TrainConfig.decimal(learningRate));
    switch (kind) {
      case ADAM, ADAMAX -> {
        m.put("beta1", TrainConfig.decimal(beta1));
        m.put("beta2", TrainConfig.decimal(beta2));
        m.put("epsilon", TrainConfig.decimal(epsilon));
      }
      case MOMENTUM -> m.put("momentum", TrainConfig.decimal(momentum));
      case RMSPROP -> {
        m.put("rho", TrainConfig.decimal(rho));
        m.put("epsilon", TrainConfig.decimal(epsilon));
      }
      case SGD -> { }
    }
    m.put("lr_schedule", schedule.label());
    m.put("lr_warmup_steps", warmupSteps);
    if (schedule == LearningRateSchedule.Kind.EXPONENTIAL) {
      m.put("lr_decay_rate", decayRate);
    }
    m.put("clip_value", TrainConfig.decimal(clipValue));
    m.put("clip_norm", TrainConfig.decimal(clipNorm));
    if (emaDecay > 0) {
      // only then: records of runs without it stay as earlier releases wrote them, so they still resume
      m.put("ema_decay", TrainConfig.decimal(emaDecay));
    }
    return m;
  }
}
