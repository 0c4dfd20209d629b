package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaTest {
  @Test
  void findsTheDirectionsOfLargestVarianceInOrder() {
    // points spread 3 along (1, 1, 0)/sqrt2, 1 along (1, -1, 0)/sqrt2, 0.1 along z
    SplittableRandom r = new SplittableRandom(4);
    float[][] points = new float[4000][3];
    double s = Math.sqrt(0.5);
    for (float[] p : points) {
      double a = 3 * r.nextGaussian();
      double b = r.nextGaussian();
      p[0] = (float) (5 + s * a + s * b);
      p[1] = (float) (-2 + s * a - s * b);
      p[2] = (float) (0.1 * r.nextGaussian());
    }
    Pca pca = Pca.fit(points, 2);
    assertEquals(5, pca.mean()[0], 0.2);
    assertEquals(s, Math.abs(pca.components()[0][0]), 0.02);
    assertEquals(s, Math.abs(pca.components()[0][1]), 0.02);
    assertEquals(0, pca.components()[0][2], 0.02);
    assertEquals(9, pca.variances()[0], 0.5);
    assertEquals(1, pca.variances()[1], 0.1);
    assertEquals(9 / 10.01, pca.explained(0), 0.02);
    float[][] projected = pca.project(points);
    assertEquals(2, projected[0].length);
    double dot = 0;
    for (int j = 0; j < 3; j++) {
      dot += pca.components()[0][j] * pca.components()[1][j];
    }
    assertTrue(Math.abs(dot) < 1e-6, "components are orthogonal");
  }
}
