package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinarizationTest {
  @Test
  void aPixelBecomesOneWithProbabilityItsIntensity() {
    float[] pixels = new float[100_000];
    java.util.Arrays.fill(pixels, 0.3f);
    pixels[0] = 0f;
    pixels[1] = 1f;
    Binarization.sample(pixels, 0, pixels.length, new SplittableRandom(1));
    double ones = 0;
    for (float p : pixels) {
      assertTrue(p == 0f || p == 1f);
      ones += p;
    }
    assertEquals(0f, pixels[0], "intensity 0 is never 1");
    assertEquals(1f, pixels[1], "intensity 1 is always 1");
    assertEquals(0.3, ones / pixels.length, 0.01);
  }

  private static ImageSet grays() {
    byte[] px = new byte[50 * 4];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 37 % 256);
    }
    int[] labels = new int[50];
    return new ImageSet(px, labels, 50, 2, 2, 1);
  }

  @Test
  void aStaticDrawIsFixedBySeedAndKeepsLabels() {
    ImageSet a = Binarization.once(grays(), 7);
    ImageSet b = Binarization.once(grays(), 7);
    ImageSet c = Binarization.once(grays(), 8);
    assertArrayEquals(a.images(0, 50)[3], b.images(0, 50)[3]);
    assertFalse(java.util.Arrays.deepEquals(a.images(0, 50), c.images(0, 50)));
    for (float[] row : a.images(0, 50)) {
      for (float v : row) {
        assertTrue(v == 0f || v == 1f);
      }
    }
    assertTrue(a.hasLabels());
  }

  @Test
  void prepareBinarizesTheTestSetOnceWithTheFixedTestSeed() {
    Dataset d = new Dataset("x", grays(), grays());
    assertSame(d, Binarization.NONE.prepare(d, 1));
    Dataset dynamic = Binarization.DYNAMIC.prepare(d, 1);
    assertSame(d.train(), dynamic.train(), "dynamic draws per batch during training");
    Dataset stat = Binarization.STATIC.prepare(d, 1);
    float[][] fixedTest = Binarization.once(grays(), Binarization.TEST_SEED).images(0, 50);
    assertTrue(java.util.Arrays.deepEquals(fixedTest, dynamic.test().images(0, 50)));
    assertTrue(java.util.Arrays.deepEquals(fixedTest, stat.test().images(0, 50)));
    assertTrue(java.util.Arrays.deepEquals(Binarization.once(grays(), 1).images(0, 50), stat.train().images(0, 50)));
    assertTrue(Binarization.DYNAMIC.testData().contains(Long.toString(Binarization.TEST_SEED)));
  }

  @Test
  void validationImagesAreBinarizedLikeTheTestSetUnderDynamicBinarization() {
    ImageSet held = grays();
    ImageSet dynamic = Binarization.DYNAMIC.validation(held);
    for (float[] image : dynamic.images(0, 50)) {
      for (float v : image) {
        assertTrue(v == 0f || v == 1f, "gray level " + v + " left in a validation image");
      }
    }
    assertTrue(java.util.Arrays.deepEquals(Binarization.once(grays(), Binarization.TEST_SEED).images(0, 50),
        dynamic.images(0, 50)), "one fixed draw, the same in every run");
    assertSame(held, Binarization.NONE.validation(held));
    assertSame(held, Binarization.STATIC.validation(held), "static binarized the training set already");
  }
}
