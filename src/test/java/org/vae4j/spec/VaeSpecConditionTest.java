package org.vae4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.VaeException;

class VaeSpecConditionTest {
  private static final ImageShape MNIST = new ImageShape(28, 28, 1);

  @Test
  void classesAreZeroOrAtLeastTwo() {
    VaeException e = assertThrows(VaeException.class, () -> VaeSpec.conv(MNIST, 8).withClasses(1));
    assertEquals("classes must be 0 (no label) or between 2 and 10000, got 1", e.getMessage());
    assertEquals(List.of("classes"), e.fields());
    assertThrows(VaeException.class, () -> VaeSpec.conv(MNIST, 8).withClasses(10_001));
    assertFalse(VaeSpec.conv(MNIST, 8).labelled());
    assertTrue(VaeSpec.mlp(MNIST, 2, 64).withClasses(26).labelled());
  }

  @Test
  void theConditioningTravelsThroughSpecJsonAndOnlyWhenThere() {
    VaeSpec plain = VaeSpec.mlp(MNIST, 2, 64);
    VaeSpec labelled = plain.withClasses(10);
    assertFalse(plain.toMap().containsKey("conditioning"), "unconditional records are unchanged");
    Map<String, Object> m = labelled.toMap();
    assertEquals("label", m.get("conditioning"));
    assertEquals(10, m.get("classes"));
    assertEquals(labelled, VaeSpec.fromMap(org.vae4j.internal.json.Json.parseObject(org.vae4j.internal.json.Json.write(m)), "spec.json"));
    assertNotEquals(plain, labelled);
    assertTrue(labelled.toString().endsWith("conditioned on a label of 10 classes"), labelled.toString());
  }

  @Test
  void aPartialInputModelAndItsRegressorTravelThroughSpecJson() {
    VaeSpec cvae = VaeSpec.conv(MNIST, 8).withObservation(org.vae4j.contract.Observation.MIDDLE_COLUMN, false);
    VaeSpec regressor = cvae.withObservation(org.vae4j.contract.Observation.MIDDLE_COLUMN, true);
    assertTrue(cvae.partial());
    assertFalse(cvae.labelled());
    assertEquals(28, cvae.conditionWidth());
    Map<String, Object> m = regressor.toMap();
    assertEquals("partial", m.get("conditioning"));
    assertEquals("middle-column", m.get("observe"));
    assertEquals(true, m.get("regressor"));
    assertFalse(cvae.toMap().containsKey("regressor"));
    for (VaeSpec s : List.of(cvae, regressor)) {
      assertEquals(s, VaeSpec.fromMap(org.vae4j.internal.json.Json.parseObject(org.vae4j.internal.json.Json.write(s.toMap())), "x"));
    }
    assertNotEquals(cvae, regressor);
    assertTrue(regressor.toString().endsWith("a regressor of the image on its middle-column (28 observed values)"),
        regressor.toString());
  }

  @Test
  void oneConditioningAtATimeAndARegressorNeedsObservedPixels() {
    VaeException e = assertThrows(VaeException.class, () -> VaeSpec.conv(MNIST, 8).withClasses(10)
        .withObservation(org.vae4j.contract.Observation.TOP_HALF, false));
    assertEquals("a model is conditioned on a label or on observed pixels, not both", e.getMessage());
    assertEquals(List.of("classes", "observe"), e.fields());
    e = assertThrows(VaeException.class, () -> VaeSpec.conv(MNIST, 8).withObservation(null, true));
    assertEquals(List.of("regressor", "observe"), e.fields());
  }
}
