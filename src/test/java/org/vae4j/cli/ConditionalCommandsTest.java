package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.contract.ModelCard;

/**
 * Label-conditioned models on the command line: train --conditioning label (MLP here; the conv model is the
 * library tests' fixture), sample by class, evaluate with each image's label, classify-check, and one sentence for
 * each command that cannot take such a model as asked.
 */
class ConditionalCommandsTest {
  @TempDir
  static Path dir;
  private static Path data;
  private static Path model;

  private static MainTest.Run vae(String... args) {
    return MainTest.vae(args);
  }

  private static void assertOneLineError(MainTest.Run r, String fragment) {
    MainTest.assertUsageError(r, fragment);
  }

  @BeforeAll
  static void trainAConditionalMlp() throws IOException {
    // four labels, each a bright square in its own quarter of an 8x8 image
    data = Fixtures.idxFolder(dir.resolve("data"), 512, 64, 8, 8, false);
    Path out = dir.resolve("run");
    MainTest.Run r = vae("train", "--data", data.toString(), "--conditioning", "label", "--architecture", "mlp",
        "--hidden", "32", "--latent-dim", "2", "--epochs", "30", "--batch-size", "32", "--learning-rate", "0.003", "--seed", "3", "--out",
        out.toString(), "--device", "cpu");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("conditioned on a label of 4 classes"), r.out());
    model = out.resolve("savedmodel/1");
  }

  @Test
  void aRunRecordedWithTheOptionsEarlierNameStillResumes() throws IOException {
    // a copy of the run whose spec.json records --conditional, as runs started before the rename do
    Path old = dir.resolve("old-run");
    org.vae4j.internal.util.Files2.deleteRecursively(old);
    java.nio.file.Files.walk(dir.resolve("run")).forEach(p -> {
      try {
        java.nio.file.Files.copy(p, old.resolve(dir.resolve("run").relativize(p).toString()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Path spec = old.resolve("spec.json");
    Files.writeString(spec, Files.readString(spec).replace("\"--conditioning\"", "\"--conditional\""));
    MainTest.Run r = vae("train", "--resume", old.toString());
    // parsed under the new name: the run is recognised as finished, not refused as unknown options
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("has finished already"), r.err());
  }

  @Test
  void theCardRecordsTheLabelAndThePicturesHaveARowPerClass() throws IOException {
    ModelCard card = ModelCard.fromJson(Files.readString(model.resolve("assets.extra/vae4j.json")), "card");
    assertEquals("label", card.model().get("conditioning"));
    assertEquals(4L, card.model().get("classes"));
    BufferedImage samples = ImageIO.read(dir.resolve("run/samples.png").toFile());
    // 8 columns and one row per class of 8-pixel images with a 1-pixel gap, scaled by 2
    assertEquals((8 * (8 + 1) + 1) * 2, samples.getWidth());
    assertEquals((4 * (8 + 1) + 1) * 2, samples.getHeight());
  }

  @Test
  void sampleDrawsOneClassOrARowPerClass() throws IOException {
    Path one = dir.resolve("class2.png");
    MainTest.Run r = vae("sample", "--model", model.toString(), "--png", one.toString(), "--label", "2",
        "--count", "6", "--columns", "3", "--scale", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote 6 samples") && r.out().contains("(class 2)"), r.out());
    BufferedImage img = ImageIO.read(one.toFile());
    assertEquals(3 * 9 + 1, img.getWidth());
    assertEquals(2 * 9 + 1, img.getHeight());
    // class 2 is the square in the lower left quarter: over the six samples it is brighter there than in the
    // other quarters
    double lowerLeft = quarter(img, 6, 0, 4);
    for (int[] other : new int[][] {{0, 0}, {4, 0}, {4, 4}}) {
      assertTrue(lowerLeft > quarter(img, 6, other[0], other[1]) + 20, "lower left " + lowerLeft + " vs quarter at "
          + other[0] + "," + other[1]);
    }

    Path grid = dir.resolve("grid.png");
    r = vae("sample", "--model", model.toString(), "--png", grid.toString(), "--count", "5", "--scale", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote 20 samples") && r.out().contains("a row per class"), r.out());
    BufferedImage rows = ImageIO.read(grid.toFile());
    assertEquals(5 * 9 + 1, rows.getWidth());
    assertEquals(4 * 9 + 1, rows.getHeight());
  }

  /**
   * Mean gray level of the 4x4 quarter at (x, y) of the first {@code n} 8x8 images of a grid of 3 columns with
   * 1-pixel gaps, scale 1.
   */
  private static double quarter(BufferedImage img, int n, int x, int y) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int left = 1 + (i % 3) * 9;
      int top = 1 + (i / 3) * 9;
      for (int dy = 0; dy < 4; dy++) {
        for (int dx = 0; dx < 4; dx++) {
          sum += img.getRaster().getSample(left + x + dx, top + y + dy, 0);
        }
      }
    }
    return sum / (16.0 * n);
  }

  @Test
  void evaluateReadsEachImagesLabel() {
    MainTest.Run r = vae("evaluate", "--model", model.toString(), "--data", data.toString(),
        "--importance-samples", "20", "--no-update");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ELBO"), r.out());
    assertTrue(r.out().contains("test NLL"), r.out());
    assertTrue(r.out().contains("condition:  each image's label (4 classes)"), r.out());
  }

  @Test
  void commandsThatCannotTakeTheModelAsAskedSaySo() {
    assertOneLineError(vae("sample", "--model", model.toString(), "--png", dir.resolve("x.png").toString(),
        "--label", "4"), "--label must be between 0 and 3, got 4");
    assertOneLineError(vae("manifold", "--model", model.toString(), "--png", dir.resolve("m.png").toString()),
        "is conditioned on a label: pass --label N to draw the manifold of class N");
    assertEquals(0, vae("manifold", "--model", model.toString(), "--png", dir.resolve("m.png").toString(),
        "--label", "1").code());
    assertOneLineError(vae("train", "--data", data.toString(), "--conditioning", "mask", "--out",
        dir.resolve("bad").toString()), "--conditioning takes label or partial, got 'mask'");
    // the option's earlier name gets the new one, not a bare "unrecognized option"
    assertOneLineError(vae("train", "--data", data.toString(), "--conditional", "label", "--out",
        dir.resolve("bad").toString()), "--conditional is now --conditioning (the model card's name for it)");
    assertOneLineError(vae("classify-check", "--model", Fixtures.tinyModel().version.toString()),
        "is not conditioned on a label: classify-check needs a model trained with --conditioning label");
    assertOneLineError(vae("sample", "--model", Fixtures.tinyModel().version.toString(), "--png",
        dir.resolve("y.png").toString(), "--label", "1"), "--label applies only with a label-conditioned model");
  }

  @Test
  void classifyCheckReportsTheClassifierAndTheConfusionMatrix() throws IOException {
    Path table = dir.resolve("confusion.md");
    MainTest.Run r = vae("classify-check", "--model", model.toString(), "--data", data.toString(),
        "--per-class", "25", "--epochs", "3", "--markdown", table.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("classifier test accuracy: 100.00%"), "the quarters are easy to tell: " + r.out());
    assertTrue(r.out().contains("samples of the class asked for:"), r.out());
    String md = Files.readString(table);
    assertTrue(md.contains("| asked \\ classified | 0 | 1 | 2 | 3 | match |"), md);
    assertEquals(2 + 4, md.lines().filter(l -> l.startsWith("|")).count(), "header, rule and a row per class");
    assertFalse(r.err().contains("\tat "), r.err());
  }
}
