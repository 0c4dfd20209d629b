package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vae4j.data.Binarization;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.ImageSet;

/**
 * The models in savedmodels/ load untrusted through the public API, carry the figures the README quotes, and
 * still compute them: a fresh estimate on a few test images agrees with the card.
 */
class ShippedModelsTest {
  @ParameterizedTest
  @ValueSource(strings = {"mnist-z32/1", "mnist-z32/2", "mnist-z2/1"})
  void aShippedModelLoadsAndItsCardHoldsTheMeasuredFigures(String name) {
    try (Vae vae = Vae.load(Path.of("savedmodels", name))) {
      assertEquals(Path.of("savedmodels", name), vae.path());
      Map<String, Double> m = vae.card().metrics();
      assertEquals(5000.0, m.get("test_importance_samples"), "K = 5000, the published protocol");
      // each card names the images its figure is over: all 10,000 for both versions of mnist-z32, the first
      // 2,000 for mnist-z2 (a picture model)
      double estimated = m.get("test_importance_images");
      switch (name) {
        case "mnist-z32/1", "mnist-z32/2" -> assertEquals(10000.0, estimated, m.toString());
        default -> assertEquals(2000.0, estimated, m.toString());
      }
      assertTrue(m.get("test_log_likelihood") >= m.get("test_elbo"), m.toString());
      if (name.startsWith("mnist-z32")) {
        assertTrue(-m.get("test_log_likelihood") <= 88, "the issue's bound on the NLL: " + m);
      }
      assertEquals("dynamic", vae.card().training().get("binarize"));

      // the same test data the card was measured on: binarized once with the fixed test seed
      ImageSet test = Binarization.once(IdxDatasets.mnist().test().first(200), Binarization.TEST_SEED);
      float[][] images = test.images(0, test.count());
      double[] logP = vae.likelihood().orElseThrow().logLikelihood(images, 200, 1);
      double mean = 0;
      for (double v : logP) {
        mean += v / logP.length;
      }
      // 200 images and K = 200 give a rougher estimate than the card's; it agrees within a few nats
      assertEquals(m.get("test_log_likelihood"), mean, 8.0, "fresh estimate " + mean + " vs card " + m);
    }
  }

  @org.junit.jupiter.api.Test
  void aBaseFolderLoadsItsHighestVersionAsTfServingDoes() {
    try (Vae vae = Vae.load(Path.of("savedmodels", "mnist-z32"))) {
      assertEquals(Path.of("savedmodels", "mnist-z32", "2"), vae.path());
      // version 2 was fine-tuned from version 1, and its card says so
      assertTrue(vae.card().training().get("init_from").toString().endsWith("savedmodels/mnist-z32/1"),
          vae.card().training().toString());
    }
  }
}
