package org.vae4j.internal.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ManifoldTest {
  @Test
  void normalQuantilesMatchKnownValues() {
    assertEquals(0.0, NormalQuantile.of(0.5), 1e-12);
    assertEquals(1.959963984540054, NormalQuantile.of(0.975), 1e-8);
    assertEquals(-1.959963984540054, NormalQuantile.of(0.025), 1e-8);
    assertEquals(1.0, NormalQuantile.of(0.8413447460685429), 1e-8);
    assertEquals(-3.090232306167813, NormalQuantile.of(0.001), 1e-8);
    assertEquals(4.753424308822899, NormalQuantile.of(1 - 1e-6), 1e-6);
    assertThrows(IllegalArgumentException.class, () -> NormalQuantile.of(0));
    assertThrows(IllegalArgumentException.class, () -> NormalQuantile.of(1));
  }

  @Test
  void gridCellsHoldEqualPriorMassAndAreSymmetric() {
    double[] g = NormalQuantile.grid(4);
    assertEquals(NormalQuantile.of(0.125), g[0], 1e-12);
    assertEquals(NormalQuantile.of(0.875), g[3], 1e-12);
    assertEquals(-g[1], g[2], 1e-12);
  }

  @Test
  void twoDimensionalGridGrowsRightAndUp() {
    float[][] c = Manifold.codes(2, 3, 0, 1);
    assertEquals(9, c.length);
    float lo = (float) NormalQuantile.of(1 / 6.0);
    float hi = -lo;
    // top-left: lowest x, highest y; bottom-right: highest x, lowest y; centre: the origin
    assertEquals(lo, c[0][0], 1e-6);
    assertEquals(hi, c[0][1], 1e-6);
    assertEquals(hi, c[8][0], 1e-6);
    assertEquals(lo, c[8][1], 1e-6);
    assertEquals(0f, c[4][0], 1e-6);
    assertEquals(0f, c[4][1], 1e-6);
  }

  @Test
  void otherDimensionsStayAtZeroAndOneLatentGivesAStrip() {
    float[][] c = Manifold.codes(5, 2, 3, 1);
    for (float[] code : c) {
      assertEquals(0f, code[0]);
      assertEquals(0f, code[2]);
      assertEquals(0f, code[4]);
    }
    float[][] strip = Manifold.codes(1, 7, 0, 1);
    assertEquals(7, strip.length);
    assertEquals(0f, strip[3][0], 1e-6);
    assertThrows(org.vae4j.VaeException.class, () -> Manifold.codes(3, 2, 1, 1));
    assertThrows(org.vae4j.VaeException.class, () -> Manifold.codes(3, 2, 0, 3));
  }
}
