package org.vae4j.spec;

import org.vae4j.Choice;
import org.vae4j.VaeException;

/**
 * The learning rate at each step: a linear warm-up from 0 over {@code warmupSteps}, times a decay.
 *
 * <ul>
 *   <li>{@code constant}: lr
 *   <li>{@code exponential}: lr * decayRate^(t / stepsPerEpoch), so the rate shrinks by decayRate per epoch
 *   <li>{@code cosine}: lr * (1 + cos(pi * t / totalSteps)) / 2, from lr down to 0 at the last step
 * </ul>
 *
 * with t counted from 0 at the first step, and the warm-up factor min(1, (t + 1) / warmupSteps).
 *
 * @param kind the decay
 * @param base the base learning rate lr
 * @param warmupSteps length of the linear warm-up (0: none)
 * @param decayRate per-epoch factor of the exponential schedule, in (0, 1]
 * @param stepsPerEpoch updates per epoch (at least 1)
 * @param totalSteps updates of the whole run (at least 1), at whose end the cosine schedule reaches 0
 */
public record LearningRateSchedule(Kind kind, float base, int warmupSteps, double decayRate, long stepsPerEpoch,
    long totalSteps) {

  /** The decays, chosen by the {@code --lr-schedule} option. */
  public enum Kind implements Choice {
    /** No decay: the base rate throughout. */
    CONSTANT,
    /** The rate shrinks by {@code decayRate} per epoch. */
    EXPONENTIAL,
    /** Half a cosine from the base rate down to 0 at the last step. */
    COSINE;

    /**
     * The schedule labelled {@code text}.
     *
     * @throws VaeException naming {@code lrSchedule} when {@code text} is none of the labels
     */
    public static Kind parse(String text) {
      return Choice.parse(Kind.class, text, "lrSchedule");
    }
  }

  /**
   * Checks the warm-up and decay rate, and raises {@code stepsPerEpoch} and {@code totalSteps} to at least 1.
   *
   * @throws VaeException naming the setting when warmupSteps is negative or decayRate is outside (0, 1]
   */
  public LearningRateSchedule {
    if (warmupSteps < 0) {
      throw VaeException.setting("lrWarmupSteps must be 0 or more, got " + warmupSteps, "lrWarmupSteps");
    }
    if (!(decayRate > 0 && decayRate <= 1)) {
      throw VaeException.setting("lrDecayRate must be in (0, 1], got " + decayRate, "lrDecayRate");
    }
    stepsPerEpoch = Math.max(1, stepsPerEpoch);
    totalSteps = Math.max(1, totalSteps);
  }

  /** The rate of step {@code step}, counted from 1 as the trainer counts updates. */
  public float rate(long step) {
    long t = step - 1;
    double decay = switch (kind) {
      case CONSTANT -> 1.0;
      case EXPONENTIAL -> Math.pow(decayRate, (double) t / stepsPerEpoch);
      case COSINE -> 0.5 * (1 + Math.cos(Math.PI * Math.min(t, totalSteps) / totalSteps));
    };
    double warm = warmupSteps == 0 ? 1.0 : Math.min(1.0, (double) (t + 1) / warmupSteps);
    return (float) (base * decay * warm);
  }
}
