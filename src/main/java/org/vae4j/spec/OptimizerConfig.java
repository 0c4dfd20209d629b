package org.vae4j.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.Choice;
import org.vae4j.VaeException;

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

  /** The optimizers, chosen by the {@code --optimizer} option. */
  public enum Kind implements Choice {
    /** Adam (Kingma and Ba 2015): per-weight steps from decaying first and second moments of the gradient. */
    ADAM,
    /** AdaMax, Adam's variant with the infinity norm in place of the second moment. */
    ADAMAX,
    /** Plain stochastic gradient descent: the learning rate times the gradient. */
    SGD,
    /** Gradient descent with heavy-ball momentum of {@code momentum}. */
    MOMENTUM,
    /** RMSProp: steps divided by a running root mean square of the gradient, decayed by {@code rho}. */
    RMSPROP;

    /**
     * The optimizer labelled {@code text}.
     *
     * @throws VaeException naming {@code optimizer} when {@code text} is none of the labels
     */
    public static Kind parse(String text) {
      return Choice.parse(Kind.class, text, "optimizer");
    }
  }

  /**
   * Checks the settings: learningRate in (0, 10], beta1, beta2 and momentum in [0, 1), rho in (0, 1), epsilon
   * positive, clipValue and clipNorm 0 or positive, emaDecay in [0, 1), and the schedule's warm-up and decay rate.
   *
   * @throws VaeException naming the setting at fault
   */
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

  /** A copy with optimizer {@code k} (the {@code --optimizer} option). */
  public OptimizerConfig withKind(Kind k) {
    return new OptimizerConfig(k, learningRate, beta1, beta2, epsilon, momentum, rho, schedule, warmupSteps,
        decayRate, clipValue, clipNorm, emaDecay);
  }

  /** A copy with base learning rate {@code lr} (the {@code --learning-rate} option). */
  public OptimizerConfig withLearningRate(float lr) {
    return new OptimizerConfig(kind, lr, beta1, beta2, epsilon, momentum, rho, schedule, warmupSteps, decayRate,
        clipValue, clipNorm, emaDecay);
  }

  /** A copy with momentum {@code m} for the {@code momentum} optimizer (the {@code --momentum} option). */
  public OptimizerConfig withMomentum(float m) {
    return new OptimizerConfig(kind, learningRate, beta1, beta2, epsilon, m, rho, schedule, warmupSteps,
        decayRate, clipValue, clipNorm, emaDecay);
  }

  /**
   * A copy with learning-rate schedule {@code s}, a linear warm-up of {@code warmup} steps and per-epoch decay factor
   * {@code decay} (the {@code --lr-schedule}, {@code --lr-warmup-steps} and {@code --lr-decay-rate} options).
   */
  public OptimizerConfig withSchedule(LearningRateSchedule.Kind s, int warmup, double decay) {
    return new OptimizerConfig(kind, learningRate, beta1, beta2, epsilon, momentum, rho, s, warmup, decay,
        clipValue, clipNorm, emaDecay);
  }

  /**
   * A copy that clips each gradient element to [-{@code value}, {@code value}] and the global gradient norm to
   * {@code norm}, 0 turning either off (the {@code --clip-value} and {@code --clip-norm} options).
   */
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

  /** The settings as the model card records them; constants an optimizer does not use are left out. */
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
