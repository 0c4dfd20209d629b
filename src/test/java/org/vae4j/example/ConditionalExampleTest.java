package org.vae4j.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.contract.Observation;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;

/** docs/EMBEDDING.md's second example, compiled and run: a label-conditioned model and a masked completion. */
class ConditionalExampleTest {
  private static final Dataset MNIST = IdxDatasets.mnist();

  @TempDir
  Path dir;

  @Test
  void theDocumentShowsTheExampleAsCompiled() throws IOException {
    EmbeddingExampleTest.assertDocumentShows("ConditionalExample");
  }

  @Test
  void itDrawsEachClassAndCompletesMaskedImages() throws Exception {
    float[][] train = MNIST.train().images(0, 512);
    float[][][] digits = ConditionalExample.drawEachClass(train, MNIST.train().labels(0, 512), dir.resolve("label"),
        3);
    assertEquals(10, digits.length);
    assertEquals(3, digits[4].length);
    assertEquals(784, digits[4][0].length);
    // one seed, so the same prior codes for every class: only the label differs
    assertFalse(Arrays.equals(digits[0][0], digits[1][0]), "the label changes the image");

    float[][] test = MNIST.test().images(0, 5);
    boolean[][] masks = Observation.RANDOM_MASK.masks(0, 5, 28, 28, 1, 3L);
    float[][][] completions = ConditionalExample.complete(train, test, masks, dir.resolve("partial"));
    assertEquals(5, completions.length);
    assertEquals(4, completions[2].length);
    assertFalse(Arrays.equals(completions[2][0], completions[2][1]), "each completion from its own code");
    for (float v : completions[2][3]) {
      assertTrue(v >= 0f && v <= 1f, "pixel means");
    }
  }
}
