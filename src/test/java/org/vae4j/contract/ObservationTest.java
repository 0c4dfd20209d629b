package org.vae4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.VaeException;

/** The positions each observation names, on MNIST's 28x28 and on small RGB images. */
class ObservationTest {
  @Test
  void theMiddleColumnIsColumnFourteenOfMnist() {
    int[] idx = Observation.MIDDLE_COLUMN.indices(28, 28, 1);
    assertEquals(28, idx.length);
    for (int r = 0; r < 28; r++) {
      assertEquals(r * 28 + 14, idx[r]);
    }
  }

  @Test
  void halvesAndTheCenterSquareCoverWhatTheirNamesSay() {
    assertEquals(28 * 14, Observation.LEFT_HALF.count(28, 28, 1));
    assertEquals(28 * 14, Observation.TOP_HALF.count(28, 28, 1));
    assertEquals(14 * 14, Observation.CENTER_SQUARE.count(28, 28, 1));
    assertTrue(Observation.CENTER_SQUARE.observes(7, 7, 28, 28));
    assertTrue(Observation.CENTER_SQUARE.observes(20, 20, 28, 28));
    assertTrue(!Observation.CENTER_SQUARE.observes(21, 20, 28, 28));
    assertTrue(Observation.TOP_HALF.observes(13, 27, 28, 28));
    assertTrue(!Observation.TOP_HALF.observes(14, 0, 28, 28));
  }

  @Test
  void everyChannelOfAnObservedPixelIsObserved() {
    // 2x4 RGB: the middle column is column 2, values 6..8 of row 0 and 18..20 of row 1
    assertArrayEquals(new int[] {6, 7, 8, 18, 19, 20}, Observation.MIDDLE_COLUMN.indices(2, 4, 3));
  }

  @Test
  void anUnknownNameListsTheChoices() {
    VaeException e = assertThrows(VaeException.class, () -> Observation.parse("diagonal"));
    assertEquals("observe must be middle-column, left-half, top-half, center-square or random-mask, got"
        + " 'diagonal'", e.getMessage());
  }

  @Test
  void aRandomMaskHasNoFixedPixelsAndDrawsOnePerImage() {
    assertFalse(Observation.RANDOM_MASK.fixed());
    assertTrue(Observation.MIDDLE_COLUMN.fixed());
    assertThrows(IllegalStateException.class, () -> Observation.RANDOM_MASK.indices(28, 28, 1));
    boolean[][] m = Observation.RANDOM_MASK.masks(0, 2000, 28, 28, 1, 7);
    // image i's mask depends on the seed and i alone: the same from another start or count
    assertArrayEquals(m[1500], Observation.RANDOM_MASK.masks(1500, 1, 28, 28, 1, 7)[0]);
    assertFalse(java.util.Arrays.equals(m[0], Observation.RANDOM_MASK.masks(0, 1, 28, 28, 1, 8)[0]));
    // half scattered pixels at a rate uniform in [0, 1), half a rectangle observed or hidden (equally often):
    // the observed fraction averages 1/2 (sd about 0.3 per mask, so the mean of 2000 is within 0.03 by far);
    // about half the masks are a rectangle or a rectangle's complement (sd 0.011 over 2000)
    double sum = 0;
    int blocks = 0;
    for (boolean[] mask : m) {
      sum += fraction(mask);
      blocks += org.vae4j.Fixtures.isBlock(mask, 28, 28) ? 1 : 0;
    }
    assertEquals(0.5, sum / m.length, 0.03);
    assertEquals(0.5, blocks / (double) m.length, 0.05);
  }

  @Test
  void aRandomMaskObservesEveryChannelOfAPixelAlike() {
    for (boolean[] mask : Observation.RANDOM_MASK.masks(0, 20, 4, 4, 3, 1)) {
      for (int p = 0; p < 16; p++) {
        assertEquals(mask[p * 3], mask[p * 3 + 1]);
        assertEquals(mask[p * 3], mask[p * 3 + 2]);
      }
    }
  }

  @Test
  void aFixedObservationGivesItsOneMaskToEveryImage() {
    boolean[][] m = Observation.LEFT_HALF.masks(3, 2, 28, 28, 1, 5);
    assertArrayEquals(Observation.LEFT_HALF.mask(28, 28, 1), m[0]);
    assertArrayEquals(m[0], m[1]);
  }

  private static double fraction(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return (double) n / mask.length;
  }
}
