package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vae4j.cli.MainTest.vae;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.data.IdxDatasets;

/** vae anomalies: MNIST digits against noise pictures for a model of digits, ROC AUC and threshold end to end. */
class AnomaliesCommandTest {
  @TempDir
  Path dir;

  private static BufferedImage gray(float[] pixels) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < 784; i++) {
      int v = Math.round(255 * pixels[i]);
      image.getRaster().setSample(i % 28, i / 28, 0, v);
    }
    return image;
  }

  @Test
  void digitsScoreBelowNoiseAndTheWorstArePictured() throws Exception {
    Path folder = dir.resolve("pictures");
    Files.createDirectories(folder.resolve("normal"));
    Files.createDirectories(folder.resolve("anomalous"));
    float[][] digits = IdxDatasets.mnist().test().images(0, 12);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 12; i++) {
      ImageIO.write(gray(digits[i]), "png", folder.resolve("normal/" + i + ".png").toFile());
      float[] noise = new float[784];
      for (int j = 0; j < 784; j++) {
        noise[j] = random.nextInt(2); // salt and pepper: nothing a model of digits has seen
      }
      ImageIO.write(gray(noise), "png", folder.resolve("anomalous/" + i + ".png").toFile());
    }
    Path csv = dir.resolve("scores.csv");
    Path png = dir.resolve("worst.png");
    MainTest.Run r = vae("anomalies", "--model", Fixtures.tinyModel().version.toString(), "--data",
        folder.toString(), "--scores", csv.toString(), "--png", png.toString(), "--worst", "4");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("scored:     12 normal and 12 anomalous pictures"), r.out());
    Matcher auc = Pattern.compile("ROC AUC:    ([0-9.]+)").matcher(r.out());
    assertTrue(auc.find(), r.out());
    // noise costs a model of digits hundreds of nats more than any digit: a separation, not a close call
    assertEquals(1.0, Double.parseDouble(auc.group(1)), 1e-9, r.out());
    assertTrue(r.out().contains("of the anomalous ones"), r.out());
    assertEquals(25, Files.readAllLines(csv).size(), "a header and a row per picture");
    assertTrue(r.out().contains("4 of them anomalous"), r.out());
    assertTrue(Files.size(png) > 0);
  }

  @Test
  void aFolderWithoutBothGroupsIsOneSentence() throws Exception {
    Path folder = dir.resolve("p");
    float[][] digits = IdxDatasets.mnist().test().images(0, 4);
    for (int i = 0; i < 4; i++) {
      Path sub = Files.createDirectories(folder.resolve(i < 2 ? "class-a" : "class-b"));
      ImageIO.write(gray(digits[i]), "png", sub.resolve(i + ".png").toFile());
    }
    MainTest.Run r = vae("anomalies", "--model", Fixtures.tinyModel().version.toString(), "--data",
        folder.toString());
    assertEquals(Main.USAGE, r.code());
    // the folder's reader says which labels it found first; the mistake is the last line, one sentence
    assertTrue(r.err().strip().lines().reduce((a, b) -> b).orElse("").endsWith("needs normal/ and anomalous/"
        + " subfolders of pictures; its subfolders are [class-a, class-b] (see 'vae anomalies --help')"), r.err());
    MainTest.assertUsageError(vae("anomalies", "--model", Fixtures.tinyModel().version.toString(), "--data",
        folder.toString(), "--fpr", "1.5"), "--fpr must lie in [0, 1), got 1.5");
  }
}
