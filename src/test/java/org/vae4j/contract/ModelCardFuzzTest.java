package org.vae4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the model card reader, the first thing {@code Vae.load} reads from an
 * untrusted SavedModel: it returns a card that writes and reads back to itself, or throws an {@link
 * IllegalArgumentException} with one line naming the file; anything else (a stack overflow, a class cast, a null
 * pointer, a hang) is a finding. Replayed by {@code mvn test}; fuzzed with
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='ModelCardFuzzTest#card'}.
 */
class ModelCardFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void card(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ModelCard card;
    try {
      card = ModelCard.fromJson(text, "fuzz-card");
    } catch (IllegalArgumentException e) {
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      return;
    }
    assertEquals(card, ModelCard.fromJson(card.toJson(), "written"), "a card reads back as written");
  }
}
