package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.Fixtures;
import org.vae4j.contract.Given;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.Vae;

class TestReportTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();

  @Test
  void theElboComesFromTheImportanceWeightsAndNeverExceedsTheLogLikelihood() {
    ImageSet test = MODEL.data.test().first(12);
    try (Vae vae = Vae.load(MODEL.version)) {
      TestReport all = TestReport.of(vae, test, "12 test images", 200, 0, 5, null);
      double sum = 0;
      float[] kl = vae.likelihood().orElseThrow().score(test.images(0, 12)).kl();
      for (TestReport.ImageScore s : all.perImage()) {
        // log of a mean of weights is never below the mean of their logs: per image, with the same weights
        assertTrue(s.logLikelihood() >= s.elbo(), s.toString());
        assertEquals(s.elbo() + s.kl(), s.reconstruction(), 1e-9, "reconstruction = ELBO + KL");
        assertEquals(kl[s.index()], s.kl(), 0.0, "the KL in closed form");
        sum += s.elbo();
      }
      assertEquals(sum / 12, all.elbo(), 1e-9);
      // exact: the same call on the same 12 images in the same process gives the same bits
      assertEquals(vae.likelihood().orElseThrow().importance(test.images(0, 12),
          Given.NONE, 200, 5, null).elbo()[3], all.perImage().get(3).elbo(), 0.0);
      assertEquals("mean log weight of the 200 importance samples per image", all.elboEstimate());

      TestReport some = TestReport.of(vae, test, "12 test images", 200, 5, 5, null);
      assertEquals(5, some.importanceImages());
      // the same weights, but computed in a batch of 5 instead of 12: float32 kernels block by batch size
      double elbo4 = all.perImage().get(4).elbo();
      assertEquals(elbo4, some.perImage().get(4).elbo(), Fixtures.float32Tolerance(elbo4), "the same weights");
      assertTrue(Double.isNaN(some.perImage().get(5).logLikelihood()));
      assertEquals("mean log weight: 200 samples for the first 5 images, 8 for the others", some.elboEstimate());
      // 8 independent draws estimate the same ELBO as 200, within their noise
      for (int i = 5; i < 12; i++) {
        assertEquals(all.perImage().get(i).elbo(), some.perImage().get(i).elbo(), 15.0);
      }
    }
  }
}
