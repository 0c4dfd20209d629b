package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;

class IdxDatasetsTest {
  @TempDir
  Path dir;

  @Test
  void builtInMnistHasTheOriginalCountsAndLabels() {
    Dataset mnist = IdxDatasets.mnist();
    assertEquals(60_000, mnist.train().count());
    assertEquals(10_000, mnist.test().count());
    assertEquals(28, mnist.height());
    assertEquals(28, mnist.width());
    assertEquals(1, mnist.channels());
    // the first training digit is a 5 and the first test digit a 7, in every copy of MNIST
    assertEquals(5, mnist.train().label(0));
    assertEquals(7, mnist.test().label(0));
    float[][] first = mnist.train().images(0, 1);
    float max = 0;
    float min = 1;
    for (float v : first[0]) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }

  @Test
  void readsAFolderOfGzippedOrPlainFiles() throws IOException {
    for (boolean gz : new boolean[] {true, false}) {
      Path folder = Fixtures.idxFolder(dir.resolve("set-" + gz), 30, 10, 8, 12, gz);
      Dataset d = IdxDatasets.folder(folder);
      assertEquals(30, d.train().count());
      assertEquals(10, d.test().count());
      assertEquals(8, d.height());
      assertEquals(12, d.width());
      assertTrue(d.train().hasLabels());
    }
  }

  @Test
  void labelFilesAreOptional() throws IOException {
    Path folder = Fixtures.idxFolder(dir.resolve("nolabels"), 5, 5, 4, 4, false);
    Files.delete(folder.resolve("train-labels-idx1-ubyte"));
    Files.delete(folder.resolve("t10k-labels-idx1-ubyte"));
    Dataset d = IdxDatasets.folder(folder);
    assertFalse(d.train().hasLabels());
    assertEquals(-1, d.train().label(0));
  }

  @Test
  void labelCountMustMatchImageCount() throws IOException {
    Path folder = Fixtures.idxFolder(dir.resolve("mismatch"), 5, 5, 4, 4, false);
    Files.write(folder.resolve("train-labels-idx1-ubyte"), Fixtures.idx(new int[] {4}, new byte[4]));
    VaeException e = assertThrows(VaeException.class, () -> IdxDatasets.folder(folder));
    assertTrue(e.getMessage().contains("holds 4 labels but there are 5 images"), e.getMessage());
  }

  @Test
  void missingImageFileIsNamed() throws IOException {
    Path folder = Fixtures.idxFolder(dir.resolve("missing"), 5, 5, 4, 4, false);
    Files.delete(folder.resolve("t10k-images-idx3-ubyte"));
    VaeException e = assertThrows(VaeException.class, () -> IdxDatasets.folder(folder));
    assertTrue(e.getMessage().contains("has no t10k-images-idx3-ubyte"), e.getMessage());
  }

  @Test
  void imageFilesNeedThreeOrFourDimensions() throws IOException {
    Path folder = Fixtures.idxFolder(dir.resolve("flat"), 5, 5, 4, 4, false);
    Files.write(folder.resolve("train-images-idx3-ubyte"), Fixtures.idx(new int[] {5, 16}, new byte[80]));
    VaeException e = assertThrows(VaeException.class, () -> IdxDatasets.folder(folder));
    assertTrue(e.getMessage().contains("need 3"), e.getMessage());
  }

  @Test
  void trainAndTestShapesMustAgree() throws IOException {
    Path folder = Fixtures.idxFolder(dir.resolve("shapes"), 5, 5, 4, 4, false);
    Files.write(folder.resolve("t10k-images-idx3-ubyte"), Fixtures.idx(new int[] {5, 8, 8}, new byte[320]));
    VaeException e = assertThrows(VaeException.class, () -> IdxDatasets.folder(folder));
    assertTrue(e.getMessage().contains("4x4x1") && e.getMessage().contains("8x8x1"), e.getMessage());
  }

  @Test
  void notAFolder() {
    VaeException e = assertThrows(VaeException.class, () -> IdxDatasets.folder(dir.resolve("absent")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void copyImagesScalesBytesToUnitInterval() {
    ImageSet set = new ImageSet(new byte[] {0, (byte) 255, (byte) 51, 102}, null, 2, 1, 2, 1);
    float[] dest = new float[4];
    set.copyImages(new int[] {1, 0}, 0, 2, dest);
    assertEquals(0.2f, dest[0], 1e-6);
    assertEquals(0.4f, dest[1], 1e-6);
    assertEquals(0f, dest[2]);
    assertEquals(1f, dest[3]);
  }

  @Test
  void shuffleIsAReproduciblePermutation() {
    int[] a = Shuffle.order(1000, 3, 1);
    int[] b = Shuffle.order(1000, 3, 1);
    int[] c = Shuffle.order(1000, 3, 2);
    assertTrue(java.util.Arrays.equals(a, b));
    assertFalse(java.util.Arrays.equals(a, c));
    int[] sorted = a.clone();
    java.util.Arrays.sort(sorted);
    assertTrue(java.util.Arrays.equals(sorted, Shuffle.identity(1000)));
  }
}
