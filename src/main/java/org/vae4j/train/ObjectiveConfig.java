package org.vae4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param mcSamples reparameterized samples per image for the reconstruction term
 * @param binarization none, dynamic or static
 */
public record ObjectiveConfig(float klWeight, KlSchedule.Anneal anneal, int klWarmupSteps, float freeBits,
    double klBalance, int mcSamples, Binarization binarization) {
  public static final int DEFAULT_WARMUP = 5000;
  public static final int MAX_SAMPLES = 1000;

  public ObjectiveConfig {
    if (!(freeBits >= 0) || !Float.isFinite(freeBits)) {
      throw VaeException.setting("freeBits must be 0 (off) or a positive number of nats, got " + freeBits, "freeBits");
    }
    if (mcSamples < 1 || mcSamples > MAX_SAMPLES) {
      throw VaeException.setting("mcSamples must be between 1 and " + MAX_SAMPLES + ", got " + mcSamples, "mcSamples");
    }
    // the schedule checks its own options (fields are not assigned yet inside a compact constructor)
    new KlSchedule(klWeight, anneal, klWarmupSteps, klBalance);
  }

  /** The plain ELBO: weight 1, no annealing, no free bits, one sample, gray levels. */
  public static ObjectiveConfig elbo() {
    return new ObjectiveConfig(1f, KlSchedule.Anneal.NONE, DEFAULT_WARMUP, 0f, 0, 1, Binarization.NONE);
  }

  /** A fresh schedule (the adaptive one carries state across steps). */
  public KlSchedule schedule() {
    return new KlSchedule(klWeight, anneal, klWarmupSteps, klBalance);
  }

  public ObjectiveConfig withKl(float weight, KlSchedule.Anneal a, int warmup) {
    return new ObjectiveConfig(weight, a, warmup, freeBits, klBalance, mcSamples, binarization);
  }

  public ObjectiveConfig withFreeBits(float f) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, f, klBalance, mcSamples, binarization);
  }

  public ObjectiveConfig withKlBalance(double alpha) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, freeBits, alpha, mcSamples, binarization);
  }

  public ObjectiveConfig withMcSamples(int l) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, freeBits, klBalance, l, binarization);
  }

  public ObjectiveConfig withBinarization(Binarization b) {
    return new ObjectiveConfig(klWeight, anneal, klWarmupSteps, freeBits, klBalance, mcSamples, b);
  }

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
    m.put("mc_samples", mcSamples);
    m.put("binarize", binarization.label());
    return m;
  }
}
