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
        // values are kept as the hex of their bits; a file of the first release's decimal numbers reads the same
        assertTrue(Files.readString(file).matches("(?s).*\"log_likelihood\" ?: ?\\[\\s*\"[0-9a-f]+\".*"));
        Files.writeString(file, Files.readString(file).replaceAll("\"([0-9a-f]{16})\"",
            "__$1__").replaceAll("__([0-9a-f]{16})__", "HEX$1"));
        String text = Files.readString(file);
        java.util.regex.Matcher hex = java.util.regex.Pattern.compile("HEX([0-9a-f]{16})").matcher(text);
        StringBuilder decimal = new StringBuilder();
        while (hex.find()) {
          hex.appendReplacement(decimal, Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(
              hex.group(1), 16))));
        }
        hex.appendTail(decimal);
        Files.writeString(file, decimal.toString());
        // once complete, the same command answers from the file alone
        TestReport again = TestReport.of(vae, test, count + " test images", samples, 0, 7, (done, total) -> {
          assertEquals(total, done, "nothing is computed again");
        }, vae.conditioning().observe(), file);
        assertEquals(whole.logLikelihood(), again.logLikelihood(), 0.0);
      }
    }
  }

  /** The message of the evaluation of {@code test} with K samples and this seed, refused at its checkpoint. */
  private static String refused(Vae vae, ImageSet test, int samples, long seed, Path file) {
    return assertThrows(VaeException.class, () -> TestReport.of(vae, test, test.count() + " images", samples, 0,
        seed, null, vae.conditioning().observe(), file)).getMessage();
  }

  @Test
  void aCheckpointForOtherSettingsOrImagesOrADamagedOneIsRefusedNamingWhatDiffers() throws Exception {
    Path file = dir.resolve("c.json");
    ImageSet test = MODEL.data.test().first(6);
    try (Vae vae = Vae.load(MODEL.version)) {
      TestReport.of(vae, test, "6 test images", 20, 0, 1, null, vae.conditioning().observe(), file);
      assertEquals("the checkpoint " + file + " was made for another number of importance samples (samples 20"
          + " there, 30 here); give another file, or delete it to start over", refused(vae, test, 30, 1, file));
      String seed = refused(vae, test, 20, 2, file);
      assertTrue(seed.contains("(seed 1 there, 2 here)"), seed);
      String images = refused(vae, MODEL.data.train().first(6), 20, 1, file);
      assertTrue(images.contains("another set of images (their pixels, labels or masks differ)"), images);

      Files.writeString(file, "{\"format\": \"something\"}");
      String other = refused(vae, test, 20, 1, file);
      assertTrue(other.endsWith("was made for something else: it is no vae4j importance checkpoint; give another"
          + " file, or delete it to start over"), other);
      Files.writeString(file, "[1, 2");
      String broken = refused(vae, test, 20, 1, file);
      assertTrue(broken.contains("line 1"), broken);

      Files.delete(file);
      TestReport.of(vae, test, "6 test images", 20, 0, 1, null, vae.conditioning().observe(), file);
      Files.writeString(file, Files.readString(file).replaceFirst("\"done\" ?: ?6", "\"done\": 7"));
      assertEquals("the checkpoint " + file + " is damaged (done, log_likelihood and elbo must be a count and that"
          + " many numbers); delete it to start over", refused(vae, test, 20, 1, file));
    }
  }
}
