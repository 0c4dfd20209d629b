package org.vae4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertEquals("observe must be middle-column, left-half, top-half or center-square, got 'diagonal'",
        e.getMessage());
  }
}
