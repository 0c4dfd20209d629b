package org.vae4j.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfusionTest {
  @Test
  void countsPairsAndReadsTheDiagonal() {
    Confusion c = Confusion.of(new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 2, 1, 0, 2}, 3);
    assertArrayEquals(new int[][] {{2, 0, 1}, {1, 1, 0}, {0, 0, 1}}, c.counts());
    assertEquals(6, c.total());
    assertEquals(4 / 6.0, c.matchRate(), 1e-12);
    assertEquals(2 / 3.0, c.recall(0), 1e-12);
    assertEquals(0.5, c.recall(1), 1e-12);
    assertEquals("| asked \\ classified | 0 | 1 | 2 | match |\n|---|---|---|---|---|\n| 0 | 2 | 0 | 1 | 66.7% |\n"
        + "| 1 | 1 | 1 | 0 | 50.0% |\n| 2 | 0 | 0 | 1 | 100.0% |\n", c.markdown().replace(System.lineSeparator(),
        "\n"));
  }

  @Test
  void refusesMismatchedInputs() {
    assertThrows(IllegalArgumentException.class, () -> Confusion.of(new int[] {0}, new int[] {0, 1}, 2));
    assertThrows(IllegalArgumentException.class, () -> new Confusion(new int[][] {{1, 2}}));
  }
}
