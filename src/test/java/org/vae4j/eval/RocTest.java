package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The ROC figures against hand-counted cases. */
class RocTest {
  @Test
  void theAreaCountsPairsAndTiesHalf() {
    assertEquals(1.0, Roc.of(new double[] {1, 2, 3}, new double[] {4, 5}, 0).auc(), 0.0, "separated");
    assertEquals(0.0, Roc.of(new double[] {4, 5}, new double[] {1, 2, 3}, 0).auc(), 0.0, "reversed");
    assertEquals(0.5, Roc.of(new double[] {2, 2}, new double[] {2}, 0).auc(), 0.0, "all tied");
    // normal {1, 3, 5}, anomalous {2, 4, 6}: pairs won 1 + 2 + 3 = 6 of 9
    assertEquals(6.0 / 9, Roc.of(new double[] {5, 1, 3}, new double[] {6, 2, 4}, 0).auc(), 1e-15);
    // a tie between 3 and 3 counts half: (1 + 1.5 + 3) / 9
    assertEquals(5.5 / 9, Roc.of(new double[] {1, 3, 5}, new double[] {2, 3, 6}, 0).auc(), 1e-15);
  }

  @Test
  void theThresholdFlagsAtMostTheAskedShareOfNormalImages() {
    double[] normal = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] anomalous = {2.5, 8.5, 9.5, 11, 12};
    Roc r = Roc.of(normal, anomalous, 0.2);
    assertEquals(8, r.threshold(), 0.0, "above 8: 9 and 10 of the normal ones");
    assertEquals(0.2, r.falsePositiveRate(), 0.0);
    assertEquals(4.0 / 5, r.truePositiveRate(), 0.0);
    Roc none = Roc.of(normal, anomalous, 0);
    assertEquals(10, none.threshold(), 0.0);
    assertEquals(0.0, none.falsePositiveRate(), 0.0);
    assertEquals(2.0 / 5, none.truePositiveRate(), 0.0);
    assertEquals(10, none.normal());
    assertThrows(IllegalArgumentException.class, () -> Roc.of(new double[0], anomalous, 0.1));
    assertThrows(IllegalArgumentException.class, () -> Roc.of(normal, anomalous, 1));
  }
}
