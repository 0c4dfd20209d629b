package org.vae4j.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.Choice;
import org.vae4j.VaeException;
import org.vae4j.data.Binarization;

/**
 * What the training loss is made of, beyond the model's likelihood: the KL weight and its schedule, free bits,
 * Monte Carlo samples, and how pixels are binarized.
 *
 * @param klWeight beta, the weight of the KL term (1: the ELBO)
 * @param anneal how the weight ramps up
 * @param klWarmupSteps length of the linear ramp, or of one cycle of the cyclical one
 * @param freeBits floor in nats per latent dimension on the batch-averaged KL (0: off)
 * @param klBalance ALPHA of the adaptive weight (0: off)
 * @param mcSamples reparameterized samples per image: of the reconstruction term (ELBO), or the K of the
 *     importance-weighted bound (IWAE)
 * @param binarization none, dynamic or static
 * @param bound the ELBO, or the importance-weighted bound of Burda et al. (2016) with {@code mcSamples} samples
 */
public record ObjectiveConfig(float klWeight, KlSchedule.Anneal anneal, int klWarmupSteps, float freeBits,
    double klBalance, int mcSamples, Binarization binarization, Bound bound) {

  /** What training maximizes. */
  public enum Bound implements Choice {
    /** The evidence lower bound, with the KL in closed form and its weighting options. */
    ELBO,
    /** log (1/K) sum_k p(x, z_k) / q(z_k|x): tighter than the ELBO for K > 1, a bound on log p(x). */
    IWAE;

    /**
     * The bound labelled {@code text}.
     *
     * @throws VaeException naming {@code bound} when {@code text} is none of the labels
     */
    public static Bound parse(String text) {
      return Choice.parse(Bound.class, text, "bound");
    }
  }

  /** Steps of the KL ramp, or of one cycle, unless told otherwise. */
  public static final int DEFAULT_WARMUP = 5000;
  /** The most Monte Carlo or importance samples per image accepted. */
  public static final int MAX_SAMPLES = 1000;

  /**
   * Checks the settings: freeBits 0 or a positive number, mcSamples 1 to {@link #MAX_SAMPLES}, the IWAE bound
   * without KL weighting, and the KL schedule's own options.
   *
   * @throws VaeException naming the setting at fault
   */
  public ObjectiveConfig {
    if (!(freeBits >= 0) || !Float.isFinite(freeBits)) {
      throw VaeException.setting("freeBits must be 0 (off) or a positive number of nats, got " + freeBits, "freeBits");
    }
    if (mcSamples < 1 || mcSamples > MAX_SAMPLES) {
      throw VaeException.setting("mcSamples must be between 1 and " + MAX_SAMPLES + ", got " + mcSamples, "mcSamples");
    }
    if (bound == Bound.IWAE && (klWeight != 1f || anneal != KlSchedule.Anneal.NONE || freeBits != 0
        || klBalance != 0)) {
      throw VaeException.setting("bound iwae is a lower limit of log p(x) itself: it takes no klWeight other than"
          + " 1, no klAnneal, no freeBits and no klBalance", "bound", "klWeight", "klAnneal", "freeBits", "klBalance");
    }
    // the schedule checks its own options (fields are not assigned yet inside a compact constructor)
    new KlSchedule(klWeight, anneal, klWarmupSteps, klBalance);
  }

  /** The plain ELBO: weight 1, no annealing, no free bits, one sample, gray levels. */
  public static ObjectiveConfig elbo() {
    return new ObjectiveConfig(1f, KlSchedule.Anneal.NONE, DEFAULT_WARMUP, 0f, 0, 1, Binarization.NONE, Bound.ELBO);
  }

  /** A fresh schedule (the adaptive one carries state across steps). */
  public KlSchedule schedule() {
    return new KlSchedule(klWeight, anneal, klWarmupSteps, klBalance);
  }

  /**
   * A copy with KL weight {@code weight}, annealed by {@code a} over {@code warmup} steps (the {@code --kl-weight},
   * {@code --kl-anneal} and {@code --kl-warmup-steps} options).
   */
  public ObjectiveConfig withKl(float weight, KlSchedule.Anneal a, int warmup) {
    return new ObjectiveConfig(weight, a, warmup, freeBits, klBalance, mcSamples, binarization, bound);
  }

  /** A copy with a floor of {@code f} nats per latent dimension on the KL, 0: none (the {@code --free-bits} option). */
  public ObjectiveConfig withFreeBits(float f) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, f, klBalance, mcSamples, binarization, bound);
  }

  /** A copy with the adaptive KL weight of rate {@code alpha}, 0 for none (the {@code --kl-balance} option). */
  public ObjectiveConfig withKlBalance(double alpha) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, freeBits, alpha, mcSamples, binarization, bound);
  }

  /** A copy with {@code l} samples of z per image for the reconstruction term (the {@code --mc-samples} option). */
  public ObjectiveConfig withMcSamples(int l) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, freeBits, klBalance, l, binarization, bound);
  }

  /** The importance-weighted bound with {@code k} samples per image (k = 1: a one-sample ELBO). */
  public ObjectiveConfig withIwae(int k) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, freeBits, klBalance, k, binarization, Bound.IWAE);
  }

  /** A copy with binarization {@code b} of the pixels (the {@code --binarize} option). */
  public ObjectiveConfig withBinarization(Binarization b) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, freeBits, klBalance, mcSamples, b, bound);
  }

  /** The settings as the model card records them. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (klBalance == 0) {
      m.put("kl_weight", TrainConfig.decimal(klWeight));
    }
    m.put("kl_anneal", anneal.label());
    if (anneal != KlSchedule.Anneal.NONE) {
      m.put("kl_warmup_steps", klWarmupSteps);
    }
    m.put("free_bits", TrainConfig.decimal(freeBits));
    m.put("kl_balance", klBalance);
    if (bound == Bound.IWAE) {
      // only then: an ELBO run's record stays as earlier releases wrote it, so its runs still resume
      m.put("objective", bound.label());
      m.put("train_samples", mcSamples);
    } else {
      m.put("mc_samples", mcSamples);
    }
    m.put("binarize", binarization.label());
    return m;
  }
}
