package org.vae4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCardTest {
  @Test
  void roundTripsThroughJson() {
    ModelCard card = ModelCard.create(new int[] {28, 28, 1}, 32, "mlp", "gaussian",
        Map.of("hidden", java.util.List.of(512L, 256L), "sigma", 0.1), "mnist", 8, 123L, Map.of("epochs", 10L),
        Map.of("test_elbo", -101.5));
    ModelCard back = ModelCard.fromJson(card.toJson(), "x");
    assertEquals(card, back);
    assertEquals(-101.5, back.metrics().get("test_elbo"));
    assertEquals(0.1, back.model().get("sigma"));
    assertEquals(784, back.imageSize());
    assertEquals(-90.0, back.withMetrics(Map.of("test_elbo", -90.0)).metrics().get("test_elbo"));
  }

  @Test
  void missingFieldsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCard.fromJson("{\"format\": 1}", "card.json"));
    assertTrue(e.getMessage().startsWith("card.json: the model card has no"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson("not json", "card.json"));
    assertTrue(e.getMessage().contains("card.json is not a valid model card"), e.getMessage());
  }
}
