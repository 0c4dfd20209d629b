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
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Given;
import org.vae4j.contract.Observation;

/**
 * A partial-input CVAE and its regressor baseline through the public API: completions of observed inputs, the
 * ELBO of p(Y|X) below its importance-sampled estimate, the regressor's exact likelihood, and one sentence for
 * every call that does not fit the model.
 */
class PartialVaeTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.partialModel();
  private static final Fixtures.TinyModel REGRESSOR = Fixtures.regressorModel();

  @TempDir
  Path dir;

  private static float[][] images(int n) {
    return MODEL.data.test().images(0, n);
  }

  @Test
  void theModelSaysWhatItObserves() {
    try (Vae vae = Vae.load(MODEL.version); Vae r = Vae.load(REGRESSOR.version)) {
      assertEquals(new Conditioning.Partial(Observation.MIDDLE_COLUMN, false), vae.conditioning());
      assertEquals(new Conditioning.Partial(Observation.MIDDLE_COLUMN, true), r.conditioning());
      assertFalse(vae.conditioning().labelled(), "not label-conditioned");
    }
  }

  @Test
  void theSameInputsAndSeedGiveTheSameCompletionsAndTheyDifferFromEachOther() {
    float[][] x = images(3);
    try (Vae vae = Vae.load(MODEL.version)) {
      float[][][] a = vae.complete(Given.observed(x), 4, 7);
      float[][][] b = vae.complete(Given.observed(x), 4, 7);
      assertEquals(3, a.length);
      assertEquals(4, a[0].length);
      // same graph, shapes and process: equal by construction
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(a[i], b[i]);
      }
      assertFalse(Arrays.equals(a[0][0], a[0][1]), "two codes give two completions");
      assertFalse(Arrays.deepEquals(a[0], vae.complete(Given.observed(x), 4, 8)[0]), "another seed, other codes");
    }
  }

  @Test
  void anotherObservedColumnChangesTheCompletion() {
    float[][] x = images(2);
    float[][] y = {x[0].clone(), x[0].clone()};
    for (int r = 0; r < 28; r++) {
      y[1][r * 28 + 14] = 1f - y[1][r * 28 + 14];
    }
    try (Vae vae = Vae.load(MODEL.version)) {
      float[][] codes = {new float[4], new float[4]};
      float[][] decoded = vae.decode(codes, Given.observed(y));
      assertFalse(Arrays.equals(decoded[0], decoded[1]), "the decoder reads the observed column");
    }
  }

  @Test
  void theConditionalElboNeverExceedsTheImportanceSampledEstimate() {
    float[][] x = images(30);
    try (Vae vae = Vae.load(MODEL.version)) {
      ElboScorer scorer = vae.likelihood().orElseThrow();
      Vae.Importance is = scorer.importance(x, Given.NONE, 64, 3, null);
      double meanLogP = 0;
      for (int i = 0; i < x.length; i++) {
        // log of a mean of weights is at least the mean of their logs (Jensen), image by image
        assertTrue(is.logLikelihood()[i] >= is.elbo()[i] - 1e-9, "image " + i);
        meanLogP += is.logLikelihood()[i] / x.length;
      }
      double meanElbo = 0;
      for (float e : scorer.score(x).elbo()) {
        meanElbo += e / x.length;
      }
      assertTrue(meanElbo <= meanLogP, "ELBO " + meanElbo + " above log p(Y|X) " + meanLogP);
    }
  }

  @Test
  void theRegressorHasOnePredictionAndItsElboIsItsExactLikelihood() {
    float[][] x = images(5);
    try (Vae r = Vae.load(REGRESSOR.version)) {
      float[][][] a = r.complete(Given.observed(x), 3, 1);
      float[][][] b = r.complete(Given.observed(x), 3, 99);
      for (int i = 0; i < x.length; i++) {
        // the decoder never reads z: every draw is the same prediction (same graph and shapes: exact)
        assertArrayEquals(a[i][0], a[i][1]);
        assertArrayEquals(a[i][0], b[i][2]);
      }
      Vae.Encoding q = r.encode(x);
      assertEquals(0f, q.mean()[0][0]);
      assertEquals(0f, q.stddev()[2][3]);
      Vae.Scores s = r.likelihood().orElseThrow().score(x);
      Vae.Importance is = r.likelihood().orElseThrow().importance(x, Given.NONE, 16, 5, null);
      for (int i = 0; i < x.length; i++) {
        assertEquals(0f, s.kl()[i]);
        assertEquals(s.reconstructionLogLikelihood()[i], s.elbo()[i]);
        // every importance weight is p(Y|X) itself; score averages 8 copies of it: float32 sums, so a tolerance
        assertEquals(s.elbo()[i], is.logLikelihood()[i], 1e-3 * Math.abs(s.elbo()[i]));
        assertEquals(is.elbo()[i], is.logLikelihood()[i], 1e-3 * Math.abs(s.elbo()[i]));
      }
    }
  }

  @Test
  void callsThatDoNotFitAPartialModelSayWhichOneDoes() {
    try (Vae vae = Vae.load(MODEL.version)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vae.sample(4, 1));
      assertTrue(e.getMessage().contains("call sample(Given.observed(...), seed) or complete(...)"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.decode(new float[1][4]));
      assertEquals("this model completes images from their middle-column: give the observed input of each latent"
          + " code (Given.observed(inputs))", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.complete(Given.observed(new float[][] {new float[100]}), 2, 1));
      assertTrue(e.getMessage().contains("has 100 values"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.complete(Given.observed(images(2)), 0, 1));
      assertTrue(e.getMessage().contains("samplesPerInput must be at least 1"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.complete(Given.observed(images(2)), 5001, 1));
      assertTrue(e.getMessage().contains("at most 10000"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.decode(new float[2][4], Given.observed(images(3))));
      assertTrue(e.getMessage().contains("3 observed inputs for 2 latent codes"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.encode(images(1), Given.labels(1)));
      assertTrue(e.getMessage().contains("not conditioned on a label"), e.getMessage());
    }
    try (Vae plain = Vae.load(Fixtures.tinyModel().version)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.complete(Given.observed(images(1)), 2,
          1));
      assertEquals("this model does not complete images from observed pixels; it is unconditional", e.getMessage());
    }
  }

  @Test
  void aCardAndAGraphThatDisagreeOnTheObservedInputAreRefused() throws IOException {
    Path unexplained = Fixtures.copyModel(MODEL.version, dir.resolve("unexplained"));
    Fixtures.editCard(unexplained, "\"conditioning\": \"partial\",", "");
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(unexplained));
    assertTrue(e.getMessage().contains("takes a 'condition', which the model card's conditioning does not explain"),
        e.getMessage());

    Path claimed = Fixtures.copyModel(Fixtures.tinyModel().version, dir.resolve("claimed"));
    Fixtures.editCard(claimed, "\"model\": {", "\"model\" : {\"conditioning\": \"partial\", \"observe\": \"top-half\", ");
    e = assertThrows(VaeException.class, () -> Vae.load(claimed));
    assertTrue(e.getMessage().contains("takes no 'condition', but the model card says the model observes part of"
        + " each image"), e.getMessage());

    Path unknown = Fixtures.copyModel(MODEL.version, dir.resolve("unknown"));
    Fixtures.editCard(unknown, "\"observe\": \"middle-column\"", "\"observe\": \"diagonal\"");
    e = assertThrows(VaeException.class, () -> Vae.load(unknown));
    assertTrue(e.getMessage().endsWith("the model card's 'observe' is diagonal, not one this vae4j reads; upgrade"
        + " vae4j"), e.getMessage());
  }
}
