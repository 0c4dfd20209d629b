package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.contract.Given;
import org.vae4j.data.ImageSet;

/** A label-conditioned model through the public API: labels in every call, checked before TensorFlow sees them. */
class ConditionalVaeTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.conditionalModel();

  @TempDir
  Path dir;

  private static ImageSet test() {
    return MODEL.data.test().first(40);
  }

  @Test
  void theModelSaysItTakesLabels() {
    try (Vae vae = Vae.load(MODEL.version)) {
      assertTrue(vae.conditioning().labelled());
      assertEquals(10, vae.conditioning().classes());
    }
    try (Vae plain = Vae.load(Fixtures.tinyModel().version)) {
      assertFalse(plain.conditioning().labelled());
      assertEquals(0, plain.conditioning().classes());
    }
  }

  @Test
  void theSameLabelsAndSeedGiveTheSameImagesAndAnotherLabelChangesThem() {
    try (Vae vae = Vae.load(MODEL.version)) {
      int[] fours = {4, 4, 4, 4};
      Vae.Samples a = vae.sample(Given.labels(fours), 9);
      Vae.Samples b = vae.sample(Given.labels(fours), 9);
      // same graph, shapes and process: equal by construction
      assertArrayEquals(a.images(), b.images());
      Vae.Samples nines = vae.sample(Given.labels(new int[] {9, 9, 9, 9}), 9);
      assertArrayEquals(a.latent(), nines.latent(), "the prior's codes do not depend on the label");
      float[][] decodedFours = vae.decode(a.latent(), Given.labels(fours));
      float[][] decodedNines = vae.decode(a.latent(), Given.labels(new int[] {9, 9, 9, 9}));
      assertFalse(Arrays.deepEquals(decodedFours, decodedNines));
      assertArrayEquals(a.images(), decodedFours, "sample is decode of its codes under its labels");
    }
  }

  @Test
  void theConditionalElboNeverExceedsTheImportanceSampledEstimate() {
    ImageSet test = test();
    float[][] images = test.images(0, test.count());
    int[] labels = test.labels(0, test.count());
    try (Vae vae = Vae.load(MODEL.version)) {
      ElboScorer scorer = vae.likelihood().orElseThrow();
      Vae.Importance is = scorer.importance(images, Given.labels(labels), 64, 3, null);
      double meanLogP = 0;
      for (int i = 0; i < images.length; i++) {
        // log of a mean of weights is at least the mean of their logs (Jensen), image by image
        assertTrue(is.logLikelihood()[i] >= is.elbo()[i] - 1e-9, "image " + i);
        meanLogP += is.logLikelihood()[i] / images.length;
      }
      float[] elbo = scorer.score(images, Given.labels(labels)).elbo();
      double meanElbo = 0;
      for (float e : elbo) {
        meanElbo += e / images.length;
      }
      assertTrue(meanElbo <= meanLogP, "ELBO " + meanElbo + " above log p(x|label) " + meanLogP);
      // the label matters to the score: the right labels explain the images better than shifted ones
      int[] wrong = new int[labels.length];
      for (int i = 0; i < wrong.length; i++) {
        wrong[i] = (labels[i] + 5) % 10;
      }
      double wrongElbo = 0;
      for (float e : scorer.score(images, Given.labels(wrong)).elbo()) {
        wrongElbo += e / images.length;
      }
      assertTrue(meanElbo > wrongElbo, "right labels " + meanElbo + " vs wrong " + wrongElbo);
    }
  }

  @Test
  void anImagesScoreDependsOnItsOwnLabelOnlyWhateverTheBatch() {
    ImageSet test = test();
    float[][] images = test.images(0, 6);
    int[] labels = {0, 3, 9, 3, 5, 1};
    try (Vae vae = Vae.load(MODEL.version)) {
      ElboScorer scorer = vae.likelihood().orElseThrow();
      float[] batch = scorer.score(images, Given.labels(labels)).elbo();
      for (int i = 0; i < images.length; i++) {
        float alone = scorer.score(new float[][] {images[i]}, Given.labels(new int[] {labels[i]})).elbo()[0];
        // another batch size may take other kernels: equal within float32 rounding, not bit for bit
        assertEquals(alone, batch[i], Fixtures.float32Tolerance(alone), "image " + i);
      }
    }
  }

  @Test
  void badLabelsGetOneSentenceBeforeAnyTensorIsMade() {
    float[][] images = test().images(0, 4);
    try (Vae vae = Vae.load(MODEL.version)) {
      assertEquals("label 2 is 12; this model's labels are 0 to 9", assertThrows(IllegalArgumentException.class,
          () -> vae.encode(images, Given.labels(new int[] {0, 1, 12, 3}))).getMessage());
      assertEquals("3 labels for 4 images; give one label per image", assertThrows(IllegalArgumentException.class,
          () -> vae.reconstruct(images, Given.labels(new int[] {0, 1, 2}))).getMessage());
      assertEquals("this model is conditioned on a label of 10 classes: give one label per image (Given.labels)",
          assertThrows(IllegalArgumentException.class, () -> vae.encode(images)).getMessage());
      assertEquals("this model is conditioned on a label of 10 classes: give one label per latent code"
          + " (Given.labels)",
          assertThrows(IllegalArgumentException.class, () -> vae.decode(new float[][] {new float[4]}))
              .getMessage());
      assertTrue(assertThrows(IllegalArgumentException.class, () -> vae.sample(3, 1)).getMessage()
          .contains("call sample(Given.labels(...), seed)"));
      assertEquals("label 0 is -1; this model's labels are 0 to 9", assertThrows(IllegalArgumentException.class,
          () -> vae.sample(Given.labels(new int[] {-1}), 1)).getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> vae.likelihood().orElseThrow().logLikelihood(images, Given.labels(new int[] {1}), 10, 1));
    }
    try (Vae plain = Vae.load(Fixtures.tinyModel().version)) {
      assertEquals("this model is not conditioned on a label; call it without labels",
          assertThrows(IllegalArgumentException.class, () -> plain.encode(images, Given.labels(new int[] {0, 1, 2, 3})))
              .getMessage());
      assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.sample(Given.labels(new int[] {1}), 1)).getMessage()
          .contains("call sample(count, seed)"));
    }
  }

  @Test
  void aCardAndAGraphThatDisagreeOnTheLabelAreRefused() throws IOException {
    Path plain = Fixtures.copyModel(Fixtures.tinyModel().version, dir.resolve("plain"));
    Fixtures.editCard(plain, "\"model\": {", "\"model\" : {\"conditioning\": \"label\", \"classes\": 10, ");
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(plain));
    assertTrue(e.getMessage().contains("takes no 'label', but the model card says the model is conditioned on a"
        + " label"), e.getMessage());

    Path conditional = Fixtures.copyModel(MODEL.version, dir.resolve("conditional"));
    Fixtures.editCard(conditional, "\"conditioning\": \"label\"", "\"conditioning\": \"mask\"");
    e = assertThrows(VaeException.class, () -> Vae.load(conditional));
    assertTrue(e.getMessage().contains("conditioning 'mask' is not one this vae4j reads"), e.getMessage());

    Path hostile = Fixtures.copyModel(MODEL.version, dir.resolve("hostile"));
    Fixtures.editCard(hostile, "\"classes\": 10", "\"classes\": 1e12");
    e = assertThrows(VaeException.class, () -> Vae.load(hostile));
    assertTrue(e.getMessage().contains("'classes' must be a whole number from 2 to 10000"), e.getMessage());
  }
}
