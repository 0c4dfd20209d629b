package org.vae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.contract.Observation;

/**
 * A random-mask model's condition in the graph: the masks training draws (0/1, every channel of a pixel alike,
 * a rate per image uniform in [0, 1)) and the row the networks read (the masked image, then the mask).
 */
class MaskedConditionTest {
  private static final ImageShape RGB = new ImageShape(6, 5, 3);

  @Test
  void drawnMasksAreZeroOrOneAlikeAcrossChannelsAndVaryInRateBetweenImages() {
    int n = 400;
    float[] m = ObjectiveTest.eval(tf -> Condition.drawMasks(tf, tf.constant(n), RGB,
        tf.constant(new long[] {3, 4})));
    assertEquals(n * RGB.size(), m.length);
    double sum = 0;
    int empty = 0;
    int full = 0;
    for (int i = 0; i < n; i++) {
      int seen = 0;
      for (int p = 0; p < 30; p++) {
        float v = m[i * RGB.size() + p * 3];
        assertTrue(v == 0f || v == 1f, "value " + v);
        assertEquals(v, m[i * RGB.size() + p * 3 + 1]);
        assertEquals(v, m[i * RGB.size() + p * 3 + 2]);
        seen += (int) v;
      }
      sum += seen / 30.0;
      empty += seen <= 3 ? 1 : 0;
      full += seen >= 27 ? 1 : 0;
    }
    // fractions spread over [0, 1] with mean 1/2: the mean's standard error over 400 images is about 0.015
    assertEquals(0.5, sum / n, 0.07);
    assertTrue(empty > 20 && full > 20, "nearly empty " + empty + ", nearly full " + full + " of " + n);
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
