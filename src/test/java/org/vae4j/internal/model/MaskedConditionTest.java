package org.vae4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.contract.Observation;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.VaeSpec;

/**
 * A random-mask model's condition in the graph: the masks training draws (0/1, every channel of a pixel alike,
 * scattered or a rectangle) and the row the networks read (the masked image, then the mask).
 */
class MaskedConditionTest {
  private static final ImageShape RGB = new ImageShape(6, 5, 3);

  @Test
  void drawnMasksAreZeroOrOneAlikeAcrossChannelsHalfOfThemRectangles() {
    int n = 400;
    float[] m = ObjectiveTest.eval(tf -> Condition.drawMasks(tf, tf.constant(n), RGB,
        tf.constant(new long[] {3, 4})));
    assertEquals(n * RGB.size(), m.length);
    double sum = 0;
    int blocks = 0;
    for (int i = 0; i < n; i++) {
      boolean[] seen = new boolean[30];
      for (int p = 0; p < 30; p++) {
        float v = m[i * RGB.size() + p * 3];
        assertTrue(v == 0f || v == 1f, "value " + v);
        assertEquals(v, m[i * RGB.size() + p * 3 + 1]);
        assertEquals(v, m[i * RGB.size() + p * 3 + 2]);
        seen[p] = v == 1f;
        sum += v / 30.0;
      }
      blocks += org.vae4j.Fixtures.isBlock(seen, 6, 5) ? 1 : 0;
    }
    // the observed fraction averages 1/2 (the mean of 400 has a standard error near 0.015); half the masks are
    // a rectangle observed or hidden, and on a 6x5 image a few scattered ones happen to be one too (empty,
    // full, or a single pixel), so the share is at least 1/2 less noise (sd 0.025 over 400)
    assertEquals(0.5, sum / n, 0.07);
    assertTrue(blocks > 0.42 * n && blocks < 0.75 * n, blocks + " of " + n + " are rectangles");
  }

  @Test
  void theGraphDrawsMasksAsTheJavaSideDoes() {
    // Observation.masks (evaluate, complete, pictures) and Condition.drawMasks (training) are two
    // implementations of one distribution: compare statistics that tell its parts apart on 6x5 images, where
    // a rectangle has zero area often (rows 1/7, columns 1/6 of the time): empty masks (observed rectangle of
    // zero area, or scattered at a low rate) and full ones (the hidden one of zero area) are each about 8.7%
    int n = 20_000;
    boolean[][] java = Observation.RANDOM_MASK.masks(0, n, 6, 5, 1, 21);
    float[] graph = ObjectiveTest.eval(tf -> Condition.drawMasks(tf, tf.constant(n), new ImageShape(6, 5, 1),
        tf.constant(new long[] {21, 1})));
    double[] a = statistics(java);
    boolean[][] g = new boolean[n][30];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 30; p++) {
        g[i][p] = graph[i * 30 + p] == 1f;
      }
    }
    double[] b = statistics(g);
    // each statistic is a mean over 20,000 masks: their standard errors are at most 0.0035, so two independent
    // samples differ by more than 0.02 (4 standard errors of the difference) essentially never
    String[] names = {"empty", "full", "rectangle or its complement", "observed fraction"};
    for (int k = 0; k < names.length; k++) {
      assertEquals(a[k], b[k], 0.02, names[k] + ": Java " + a[k] + ", graph " + b[k]);
    }
    assertEquals(0.087, a[0], 0.02, "the share of empty masks the distribution implies");
  }

  private static double[] statistics(boolean[][] masks) {
    double[] out = new double[4];
    for (boolean[] m : masks) {
      int seen = 0;
      for (boolean v : m) {
        seen += v ? 1 : 0;
      }
      out[0] += seen == 0 ? 1 : 0;
      out[1] += seen == m.length ? 1 : 0;
      out[2] += org.vae4j.Fixtures.isBlock(m, 6, 5) ? 1 : 0;
      out[3] += seen / (double) m.length;
    }
    for (int k = 0; k < out.length; k++) {
      out[k] /= masks.length;
    }
    return out;
  }

  @Test
  void theSameSeedDrawsTheSameMasksAndAnotherOtherMasks() {
    float[] a = ObjectiveTest.eval(tf -> Condition.drawMasks(tf, tf.constant(8), RGB,
        tf.constant(new long[] {3, 4})));
    float[] b = ObjectiveTest.eval(tf -> Condition.drawMasks(tf, tf.constant(8), RGB,
        tf.constant(new long[] {3, 4})));
    float[] c = ObjectiveTest.eval(tf -> Condition.drawMasks(tf, tf.constant(8), RGB,
        tf.constant(new long[] {3, 5})));
    // stateless draws: a function of the seed alone
    assertArrayEquals(a, b);
    assertTrue(!java.util.Arrays.equals(a, c));
  }

  @Test
  void theConditionRowIsTheMaskedImageThenTheMask() {
    VaeSpec spec = VaeSpec.mlp(new ImageShape(2, 2, 1), 2, 8).withObservation(Observation.RANDOM_MASK, false);
    assertEquals(8, spec.conditionWidth());
    float[] row = ObjectiveTest.eval(tf -> Condition.of(tf, spec, null,
        ObjectiveTest.c(tf, new float[] {0.2f, 0.4f, 0.6f, 0.8f}, 1, 2, 2, 1),
        ObjectiveTest.c(tf, new float[] {1, 0, 0, 1}, 1, 2, 2, 1)));
    assertArrayEquals(new float[] {0.2f, 0f, 0f, 0.8f, 1, 0, 0, 1}, row);
  }
}
