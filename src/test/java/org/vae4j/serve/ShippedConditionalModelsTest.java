package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Given;
import org.vae4j.contract.Observation;
import org.vae4j.data.Binarization;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.ImageSet;

/**
 * The conditional models in savedmodels/ load untrusted, say what they are conditioned on, carry the figures the
 * README quotes, still compute them, and behave as conditional models: the label decides the digit, the observed
 * column shapes the completion.
 */
class ShippedConditionalModelsTest {
  private static final Path LABEL = Path.of("savedmodels", "mnist-cvae-label");
  private static final Path COLUMN = Path.of("savedmodels", "mnist-cvae-column");
  private static final Path REGRESSOR = Path.of("savedmodels", "mnist-cvae-column-regressor");

  /** The test images the cards were measured on: binarized once with the fixed test seed. */
  private static ImageSet test(int n) {
    return Binarization.once(IdxDatasets.mnist().test().first(n), Binarization.TEST_SEED);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  @Test
  void theLabelModelDrawsTheDigitAskedForAndKeepsItsFigures() {
    try (Vae vae = Vae.load(LABEL)) {
      assertEquals(10, vae.conditioning().classes());
      Map<String, Double> m = vae.card().metrics();
      assertTrue(m.get("test_log_likelihood") >= m.get("test_elbo"), m.toString());
      ImageSet test = test(100);
      double[] logP = vae.likelihood().orElseThrow().logLikelihood(test.images(0, 100),
          Given.labels(test.labels(0, 100)), 100, 1);
      // 100 images and K = 100 give a rougher estimate than the card's; it agrees within a few nats
      assertEquals(m.get("test_log_likelihood"), mean(logP), 8.0, "fresh estimate vs card " + m);
      // the label decides the digit: from the same codes, ones carry far less ink than zeros
      int[] ones = new int[50];
      Arrays.fill(ones, 1);
      Vae.Samples drawn = vae.sample(Given.labels(ones), 3);
      int[] zeros = new int[50];
      double inkOnes = ink(drawn.images());
      double inkZeros = ink(vae.decode(drawn.latent(), Given.labels(zeros)));
      // (pixel means, not binary digits: a thin stroke's blur spreads ink, so the margin is 20%, not 2x; the
      // shipped model measures 0.72)
      assertTrue(inkOnes < 0.8 * inkZeros, "ink of 1s " + inkOnes + " vs 0s " + inkZeros);
    }
  }

  private static double ink(float[][] images) {
    double sum = 0;
    for (float[] image : images) {
      for (float v : image) {
        sum += v;
      }
    }
    return sum / images.length;
  }

  @Test
  void theColumnModelBeatsItsRegressorAndItsCompletionsFollowTheColumn() {
    try (Vae cvae = Vae.load(COLUMN); Vae regressor = Vae.load(REGRESSOR)) {
      assertEquals(new Conditioning.Partial(Observation.MIDDLE_COLUMN, false), cvae.conditioning());
      assertEquals(new Conditioning.Partial(Observation.MIDDLE_COLUMN, true), regressor.conditioning());
      Map<String, Double> c = cvae.card().metrics();
      Map<String, Double> r = regressor.card().metrics();
      assertTrue(c.get("test_log_likelihood") >= c.get("test_elbo"), c.toString());
      // the tutorial's point: read as a model of Y, the blurry regressor explains test images worse than the CVAE
      assertTrue(c.get("test_log_likelihood") > r.get("test_log_likelihood"), c + " vs " + r);

      ImageSet test = test(100);
      float[][] images = test.images(0, 100);
      double[] logP = cvae.likelihood().orElseThrow().logLikelihood(images, 100, 1);
      assertEquals(c.get("test_log_likelihood"), mean(logP), 8.0, "fresh estimate vs card " + c);
      // the regressor is deterministic: its log p(Y|X) is exact, so a fresh one is close to the card's
      double[] exact = regressor.likelihood().orElseThrow().logLikelihood(images, 1, 1);
      assertEquals(r.get("test_log_likelihood"), mean(exact), 8.0, "fresh regressor vs card " + r);

      // completions draw the observed column back: their middle column is close to the one given
      float[][][] completions = cvae.complete(Given.observed(Arrays.copyOf(images, 20)), 4, 5);
      double error = 0;
      for (int i = 0; i < 20; i++) {
        for (float[] y : completions[i]) {
          for (int row = 0; row < 28; row++) {
            error += Math.abs(y[row * 28 + 14] - images[i][row * 28 + 14]) / (20 * 4 * 28);
          }
        }
      }
      assertTrue(error < 0.15, "mean error on the observed column " + error);
    }
  }
}
