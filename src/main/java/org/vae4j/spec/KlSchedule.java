package org.vae4j.spec;

import org.vae4j.Choice;
import org.vae4j.VaeException;

/**
 * The weight w of the KL term in the training loss -log p(x|z) + w * KL, step by step. Evaluation always uses
 * w = 1, so reported ELBOs are true bounds whatever the schedule.
 *
 * <ul>
 *   <li>{@code none}: w = W (the {@code --kl-weight}, "beta")
 *   <li>{@code linear}: w = W * min(1, t / warmup), from 0 at the first step to W after {@code warmup} steps
 *       (Bowman et al. 2016)
 *   <li>{@code cyclical}: the linear ramp repeated every {@code warmup} steps: w = W * min(1, 2 * (t mod warmup) /
 *       warmup), rising over the first half of each cycle and holding W for the second (Fu et al. 2019)
 *   <li>{@code --kl-balance ALPHA}: w starts at 0 and after every batch moves by ALPHA * (RE - w * KL), where RE is
 *       the batch's reconstruction error (-log p(x|z), or the squared error) and KL its mean KL, so w * KL tracks
 *       RE; w never goes below 0
 * </ul>
 *
 * with t the number of updates made before the step (0 at the first one).
 */
public final class KlSchedule {
  /** How the KL weight ramps up, chosen by the {@code --kl-anneal} option. */
  public enum Anneal implements Choice {
    /** No ramp: the full weight from the first step. */
    NONE,
    /** A linear ramp from 0 to the full weight over the warm-up steps. */
    LINEAR,
    /** The linear ramp repeated every warm-up steps, holding the full weight over the second half of each cycle. */
    CYCLICAL;

    /**
     * The annealing labelled {@code text}.
     *
     * @throws VaeException naming {@code klAnneal} when {@code text} is none of the labels
     */
    public static Anneal parse(String text) {
      return Choice.parse(Anneal.class, text, "klAnneal");
    }
  }

  /** Largest ALPHA accepted: w' = w (1 - ALPHA KL) + ALPHA RE is stable only while ALPHA KL &lt; 2. */
  public static final double MAX_BALANCE_RATE = 0.01;

  private final float weight;
  private final Anneal anneal;
  private final long warmupSteps;
  private final double balanceRate;
  private double balanced;

  /**
   * A schedule of full weight {@code weight} (W), ramped by {@code anneal} over {@code warmupSteps} steps.
   *
   * @param balanceRate ALPHA of the adaptive rule, or 0 to use the annealing schedule instead
   * @throws VaeException naming the setting when the weight is negative or not finite, an anneal has no warm-up
   *     steps, balanceRate is outside [0, {@link #MAX_BALANCE_RATE}], or both balanceRate and an anneal are set
   */
  public KlSchedule(float weight, Anneal anneal, long warmupSteps, double balanceRate) {
    if (!(weight >= 0) || !Float.isFinite(weight)) {
      throw VaeException.setting("klWeight must be 0 or more, got " + weight, "klWeight");
    }
    if (anneal != Anneal.NONE && warmupSteps < 1) {
      throw VaeException.setting("klAnneal " + anneal.label() + " needs klWarmupSteps of at least 1", "klAnneal", "klWarmupSteps");
    }
    if (!(balanceRate >= 0) || !(balanceRate <= MAX_BALANCE_RATE)) {
      throw VaeException.setting("klBalance must be between 0 and " + MAX_BALANCE_RATE + " (the weight oscillates"
          + " once ALPHA times the KL reaches 2), got " + balanceRate, "klBalance");
    }
    if (balanceRate > 0 && anneal != Anneal.NONE) {
      throw VaeException.setting("klBalance and klAnneal both set the KL weight; choose one", "klBalance", "klAnneal");
    }
    this.weight = weight;
    this.anneal = anneal;
    this.warmupSteps = warmupSteps;
    this.balanceRate = balanceRate;
  }

  /** The weight to use for the step after {@code done} updates. */
  public float weight(long done) {
    if (balanceRate > 0) {
      return (float) balanced;
    }
    return switch (anneal) {
      case NONE -> weight;
      case LINEAR -> (float) (weight * Math.min(1.0, (double) done / warmupSteps));
      case CYCLICAL -> (float) (weight * Math.min(1.0, 2.0 * (done % warmupSteps) / warmupSteps));
    };
  }

  /** After a step: moves the adaptive weight (no effect without --kl-balance). */
  public void observe(double reconstructionError, double kl) {
    if (balanceRate > 0) {
      balanced = Math.max(0, balanced + balanceRate * (reconstructionError - balanced * kl));
    }
  }

  /** The adaptive weight's current value (for checkpoints). */
  public double balancedWeight() {
    return balanced;
  }

  /** Restores the adaptive weight (from a checkpoint). */
  public void setBalancedWeight(double w) {
    balanced = w;
  }
}
