package org.vae4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.VaeException;
import org.vae4j.internal.json.Json;

/** The one conditioning type: its three kinds, their widths and masks, and the card form read back. */
class ConditioningTest {
  @Test
  void eachKindWritesTheCardFieldsItIsReadBackFrom() {
    for (Conditioning c : List.of(Conditioning.NONE, Conditioning.label(10),
        Conditioning.partial(Observation.MIDDLE_COLUMN, false), Conditioning.partial(Observation.LEFT_HALF, true),
        Conditioning.partial(Observation.RANDOM_MASK, false))) {
      // through JSON text, as a card is: numbers come back as Long
      Map<String, Object> fields = Json.parseObject(Json.write(c.cardFields()));
      assertEquals(c, Conditioning.fromFields(fields, "card", "the model card's"), fields.toString());
    }
    assertEquals(Map.of(), Conditioning.NONE.cardFields());
  }

  @Test
  void widthsAndMasksFollowTheKind() {
    assertEquals(0, Conditioning.NONE.width(28, 28, 1));
    assertEquals(10, Conditioning.label(10).width(28, 28, 1));
    assertEquals(28, Conditioning.partial(Observation.MIDDLE_COLUMN, false).width(28, 28, 1));
    assertEquals(2 * 784, Conditioning.partial(Observation.RANDOM_MASK, false).width(28, 28, 1));
    assertNull(Conditioning.label(3).masks(0, 2, new int[] {28, 28, 1}, 1L));
    boolean[][] masks = Conditioning.partial(Observation.RANDOM_MASK, false).masks(0, 2, new int[] {28, 28, 1}, 1L);
    assertEquals(2, masks.length);
    assertEquals(784, masks[0].length);
    assertTrue(Conditioning.partial(Observation.RANDOM_MASK, false).masked());
    assertEquals(7, Conditioning.label(7).classes());
    assertEquals(0, Conditioning.partial(Observation.TOP_HALF, true).classes());
    assertTrue(Conditioning.partial(Observation.TOP_HALF, true).regressor());
  }

  @Test
  void impossibleConditioningsAreOneSentenceNamingTheField() {
    assertSame(Conditioning.NONE, Conditioning.label(0));
    assertSame(Conditioning.NONE, Conditioning.partial(null, false));
    VaeException one = assertThrows(VaeException.class, () -> Conditioning.label(1));
    assertTrue(one.getMessage().contains("classes must be 0 (no label) or between 2 and 10000, got 1"),
        one.getMessage());
    VaeException regressor = assertThrows(VaeException.class, () -> Conditioning.partial(null, true));
    assertTrue(regressor.getMessage().startsWith("regressor needs observe"), regressor.getMessage());
    VaeException kind = assertThrows(VaeException.class, () -> Conditioning.fromFields(
        Map.of("conditioning", "mood"), "m/1", "the model card's"));
    assertEquals("m/1: the model card's conditioning 'mood' is not one this vae4j reads (label, partial); upgrade"
        + " vae4j", kind.getMessage());
    VaeException classes = assertThrows(VaeException.class, () -> Conditioning.fromFields(
        Map.of("conditioning", "label", "classes", 2.5), "m/1", "the model card's"));
    assertTrue(classes.getMessage().contains("'classes' must be a whole number from 2 to 10000"),
        classes.getMessage());
  }
}
