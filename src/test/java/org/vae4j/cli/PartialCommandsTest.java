package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.contract.ModelCard;

/**
 * Partial-input models on the command line: train --conditioning partial and its --regressor (MLPs on 8x8
 * pictures), complete with both, evaluate p(Y|X), and one sentence for each command or option that does not fit.
 */
class PartialCommandsTest {
  @TempDir
  static Path dir;
  private static Path data;
  private static Path model;
  private static Path regressor;
  private static Path masked;

  private static MainTest.Run vae(String... args) {
    return MainTest.vae(args);
  }

  private static void assertOneLineError(MainTest.Run r, String fragment) {
    MainTest.assertUsageError(r, fragment);
  }

  private static Path train(String name, String... extra) {
    Path out = dir.resolve(name);
    String[] common = {"train", "--data", data.toString(), "--conditioning", "partial", "--architecture", "mlp",
        "--hidden", "32", "--latent-dim", "2", "--epochs", "8", "--batch-size", "32", "--learning-rate", "0.003",
        "--seed", "3", "--out", out.toString(), "--device", "cpu"};
    String[] args = java.util.Arrays.copyOf(common, common.length + extra.length);
    System.arraycopy(extra, 0, args, common.length, extra.length);
    MainTest.Run r = vae(args);
    assertEquals(0, r.code(), r.err());
    return out.resolve("savedmodel/1");
  }

  @BeforeAll
  static void trainACvaeAndItsRegressor() throws IOException {
    data = org.vae4j.Fixtures.idxFolder(dir.resolve("data"), 512, 64, 8, 8, false);
    model = train("cvae", "--snapshots");
    regressor = train("regressor", "--regressor");
    masked = train("masked", "--observe", "random-mask", "--epochs", "3", "--snapshots");
  }

  @Test
  void theCardsRecordTheObservedPixelsAndTheRunDrawsCompletions() throws IOException {
    ModelCard card = ModelCard.fromJson(Files.readString(model.resolve("assets.extra/vae4j.json")), "card");
    assertEquals("partial", card.model().get("conditioning"));
    assertEquals("middle-column", card.model().get("observe"));
    ModelCard r = ModelCard.fromJson(Files.readString(regressor.resolve("assets.extra/vae4j.json")), "card");
    assertEquals(Boolean.TRUE, r.model().get("regressor"));
    BufferedImage samples = ImageIO.read(dir.resolve("cvae/samples.png").toFile());
    // 8 rows (observed input + 7 completions) of 8-pixel images with a 1-pixel gap, scaled by 2
    assertEquals((8 * (8 + 1) + 1) * 2, samples.getWidth());
    assertEquals((8 * (8 + 1) + 1) * 2, samples.getHeight());
    // per-epoch snapshots: fixed codes under the observed part of 8 test images, a row each
    assertTrue(Files.isRegularFile(dir.resolve("cvae/snapshots/epoch-008.png")));
  }

  @Test
  void completeDrawsARowPerImage() throws IOException {
    Path png = dir.resolve("complete.png");
    MainTest.Run r = vae("complete", "--model", model.toString(), "--regressor", regressor.toString(), "--data",
        data.toString(), "--png", png.toString(), "--count", "5", "--samples", "4", "--scale", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote 5 test images") && r.out().contains("the regressor's prediction, 4"
        + " completions, the original"), r.out());
    BufferedImage img = ImageIO.read(png.toFile());
    // observed | regressor | 4 completions | original
    assertEquals(7 * 9 + 1, img.getWidth());
    assertEquals(5 * 9 + 1, img.getHeight());
    // the observed input is dark gray off the middle column: ObservedPixels.UNSEEN (0.25 -> 64), a constant the
    // picture code writes, not a TensorFlow output, so exact on every CPU
    assertEquals(64, img.getRaster().getSample(1, 1, 0));
  }

  @Test
  void evaluateReportsTheConditionalBoundAndTheRegressorsExactLikelihood() {
    MainTest.Run r = vae("evaluate", "--model", model.toString(), "--data", data.toString(),
        "--importance-samples", "20", "--no-update");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("condition:  each image's observed middle-column X: the ELBO bounds log p(Y|X)"),
        r.out());
    assertTrue(r.out().contains("test NLL"), r.out());
    r = vae("evaluate", "--model", regressor.toString(), "--data", data.toString(), "--importance-samples", "4",
        "--no-update");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("a regressor, read as a Bernoulli model of the image Y"), r.out());
  }

  @Test
  void commandsAndOptionsThatDoNotFitSaySo() {
    assertOneLineError(vae("sample", "--model", model.toString(), "--png", dir.resolve("s.png").toString()),
        "completes images from their observed middle-column: it draws nothing without one, so vae sample does"
            + " not apply; use vae complete");
    assertOneLineError(vae("soak", "--model", model.toString(), "--seconds", "1"), "is a conditional model;"
        + " vae soak checks the calls of unconditional models only");
    assertOneLineError(vae("manifold", "--model", model.toString(), "--png", dir.resolve("m.png").toString()),
        "so vae manifold does not apply");
    assertOneLineError(vae("complete", "--model", org.vae4j.Fixtures.tinyModel().version.toString(), "--png",
        dir.resolve("c.png").toString()), "does not complete images: train one with --conditioning partial");
    assertOneLineError(vae("train", "--data", data.toString(), "--observe", "top-half", "--out",
        dir.resolve("bad1").toString()), "--observe applies only with --conditioning partial");
    assertOneLineError(vae("train", "--data", data.toString(), "--conditioning", "partial", "--observe", "corner",
        "--out", dir.resolve("bad2").toString()), "--observe must be middle-column, left-half, top-half,"
            + " center-square or random-mask, got 'corner'");
    assertOneLineError(vae("complete", "--model", model.toString(), "--data", data.toString(), "--png",
        dir.resolve("c.png").toString(), "--mask", "left-half"), "--mask is for models trained with --observe"
            + " random-mask");
    assertOneLineError(vae("complete", "--model", masked.toString(), "--data", data.toString(), "--png",
        dir.resolve("c.png").toString(), "--mask", "corner"), "--mask must be random, middle-column, left-half,"
            + " top-half or center-square, got 'corner'");
    assertOneLineError(vae("complete", "--model", masked.toString(), "--regressor", regressor.toString(),
        "--data", data.toString(), "--png", dir.resolve("c.png").toString()), "observes the middle-column but");
  }

  @Test
  void aRandomMaskModelCompletesUnderAnyMaskAndIsEvaluatedUnderSeededMasks() throws IOException {
    ModelCard card = ModelCard.fromJson(Files.readString(masked.resolve("assets.extra/vae4j.json")), "card");
    assertEquals("random-mask", card.model().get("observe"));
    // completions under 8 test images' masks, drawn by the run's pictures and every epoch's snapshot
    assertTrue(Files.isRegularFile(dir.resolve("masked/samples.png")));
    assertTrue(Files.isRegularFile(dir.resolve("masked/snapshots/epoch-003.png")));
    for (String mask : new String[] {"random", "top-half"}) {
      Path png = dir.resolve("masked-" + mask + ".png");
      MainTest.Run r = vae("complete", "--model", masked.toString(), "--data", data.toString(), "--png",
          png.toString(), "--count", "3", "--samples", "2", "--scale", "1", "--mask", mask);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains(mask.equals("random") ? "the observed pixels (random masks, seed 0)"
          : "the observed top-half"), r.out());
      BufferedImage img = ImageIO.read(png.toFile());
      assertEquals(4 * 9 + 1, img.getWidth());
      assertEquals(3 * 9 + 1, img.getHeight());
      if (mask.equals("top-half")) {
        // row 7 of the first picture is unobserved under top-half: drawn UNSEEN gray (64), exact as above
        assertEquals(64, img.getRaster().getSample(1, 1 + 7, 0));
      }
    }
    MainTest.Run r = vae("evaluate", "--model", masked.toString(), "--data", data.toString(),
        "--importance-samples", "10", "--no-update", "--seed", "4");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("condition:  each image's observed pixels under a random mask drawn with seed 4"),
        r.out());
    r = vae("evaluate", "--model", masked.toString(), "--data", data.toString(), "--importance-samples", "10",
        "--mask", "middle-column");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("condition:  each image's observed middle-column (given as every image's mask)"),
        r.out());
    assertTrue(r.out().contains("model card: unchanged (figures under a fixed --mask are not the model's own"
        + " protocol)"), r.out());
    assertTrue(!Files.exists(masked.resolve(org.vae4j.eval.EvaluationHistory.FOLDER)), "nothing written into the"
        + " model folder");
    assertOneLineError(vae("evaluate", "--model", model.toString(), "--data", data.toString(), "--mask", "random"),
        "--mask is for models trained with --observe random-mask");
    r = vae("reconstruct", "--model", masked.toString(), "--data", data.toString(), "--png",
        dir.resolve("masked-rec.png").toString(), "--count", "4");
    assertEquals(0, r.code(), r.err());
    r = vae("encode", "--model", masked.toString(), "--data", data.toString(), "--csv",
        dir.resolve("masked.csv").toString(), "--limit", "5");
    assertEquals(0, r.code(), r.err());
    assertEquals(6, Files.readAllLines(dir.resolve("masked.csv")).size());
  }
}
