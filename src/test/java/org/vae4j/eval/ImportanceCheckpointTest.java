package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.Vae;

/** A long evaluation stopped part way goes on from its checkpoint with the figures of one unbroken run. */
class ImportanceCheckpointTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();

  @TempDir
  Path dir;

  @AfterEach
  void saveAsUsual() {
    TestReport.saveNanos = 60_000_000_000L;
  }

  /** Thrown by the progress listener: the evaluation stops as a killed one would, after a saved part. */
  private static final class Stop extends RuntimeException {}

  @Test
  void aResumedEvaluationGivesTheBitsOfAnUnbrokenOne() throws Exception {
    TestReport.saveNanos = 0;
    // 200 samples: 10 images per call, parts of 10; 3000: one image in two calls, parts of 16
    for (int samples : new int[] {200, 3000}) {
      int count = samples == 200 ? 23 : 18;
      ImageSet test = MODEL.data.test().first(count);
      Path file = dir.resolve("k" + samples + ".json");
      try (Vae vae = Vae.load(MODEL.version)) {
        TestReport whole = TestReport.of(vae, test, count + " test images", samples, 0, 7, null);
        String what = count + " test images";
        assertThrows(Stop.class, () -> TestReport.of(vae, test, what, samples, 0, 7, (done, total) -> {
          if (done > 0.9 * total) {
            throw new Stop(); // in the second part (of 10 or of 16 images): the first is saved
          }
        }, vae.conditioning().observe(), file));
        assertTrue(Files.readString(file).contains("\"done\":"), "the first part is kept");
        long[] first = {-1};
        TestReport resumed = TestReport.of(vae, test, count + " test images", samples, 0, 7, (done, total) -> {
          if (first[0] < 0) {
            first[0] = done;
          }
        }, vae.conditioning().observe(), file);
        assertTrue(first[0] > 0, "the kept part is not computed again");
        for (int i = 0; i < count; i++) {
          // exact: the same calls with the same seeds on the same shapes in this process
          assertEquals(whole.perImage().get(i).logLikelihood(), resumed.perImage().get(i).logLikelihood(), 0.0);
          assertEquals(whole.perImage().get(i).elbo(), resumed.perImage().get(i).elbo(), 0.0);
        }
        assertEquals(whole.logLikelihood(), resumed.logLikelihood(), 0.0);
        // once complete, the same command answers from the file alone
        TestReport again = TestReport.of(vae, test, count + " test images", samples, 0, 7, (done, total) -> {
          assertEquals(total, done, "nothing is computed again");
        }, vae.conditioning().observe(), file);
        assertEquals(whole.logLikelihood(), again.logLikelihood(), 0.0);
      }
    }
  }

  @Test
  void aCheckpointForOtherSettingsOrOtherImagesIsRefusedNamingWhatDiffers() throws Exception {
    Path file = dir.resolve("c.json");
    ImageSet test = MODEL.data.test().first(6);
    try (Vae vae = Vae.load(MODEL.version)) {
      TestReport.of(vae, test, "6 test images", 20, 0, 1, null, vae.conditioning().observe(), file);
      VaeException k = assertThrows(VaeException.class, () -> TestReport.of(vae, test, "6 test images", 30, 0, 1,
          null, vae.conditioning().observe(), file));
      assertEquals("the checkpoint " + file + " was made for another number of importance samples (samples 20"
          + " there, 30 here); give another file, or delete it to start over", k.getMessage());
      VaeException seed = assertThrows(VaeException.class, () -> TestReport.of(vae, test, "6 test images", 20, 0, 2,
          null, vae.conditioning().observe(), file));
      assertTrue(seed.getMessage().contains("(seed 1 there, 2 here)"), seed.getMessage());
      VaeException images = assertThrows(VaeException.class, () -> TestReport.of(vae, MODEL.data.train().first(6),
          "6 images", 20, 0, 1, null,
          vae.conditioning().observe(), file));
      assertTrue(images.getMessage().contains("another set of images (their pixels, labels or masks differ)"),
          images.getMessage());

      Files.writeString(file, "{\"format\": \"something\"}");
      VaeException other = assertThrows(VaeException.class, () -> TestReport.of(vae, test, "6 test images", 20, 0,
          1, null, vae.conditioning().observe(), file));
      assertTrue(other.getMessage().endsWith("was made for something else: it is no vae4j importance checkpoint;"
          + " give another file, or delete it to start over"), other.getMessage());
      Files.writeString(file, "[1, 2");
      VaeException broken = assertThrows(VaeException.class, () -> TestReport.of(vae, test, "6 test images", 20, 0,
          1, null, vae.conditioning().observe(), file));
      assertTrue(broken.getMessage().contains("line 1"), broken.getMessage());
    }
  }

  @Test
  void aDamagedListOfValuesIsRefused() throws Exception {
    Path file = dir.resolve("d.json");
    ImageSet test = MODEL.data.test().first(4);
    try (Vae vae = Vae.load(MODEL.version)) {
      TestReport.of(vae, test, "4 test images", 20, 0, 1, null, vae.conditioning().observe(), file);
      Files.writeString(file, Files.readString(file).replaceFirst("\"done\" ?: ?4", "\"done\": 5"));
      VaeException e = assertThrows(VaeException.class, () -> TestReport.of(vae, test, "4 test images", 20, 0, 1,
          null, vae.conditioning().observe(), file));
      assertEquals("the checkpoint " + file + " is damaged (done, log_likelihood and elbo must be a count and that"
          + " many numbers); delete it to start over", e.getMessage());
    }
  }
}
