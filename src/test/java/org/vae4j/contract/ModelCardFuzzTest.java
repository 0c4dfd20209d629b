package org.vae4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vae4j.internal.json.Json;

/**
 * Coverage-guided fuzzing (Jazzer) of the model card reader, the first thing {@code Vae.load} reads from an
 * untrusted SavedModel. Two targets, replayed by {@code mvn test} and fuzzed with {@code JAZZER_FUZZ=1 mvn test
 * -Dtest='ModelCardFuzzTest#card'} (or {@code #typedFields}):
 *
 * <ul>
 *   <li>{@code card}: any bytes. It returns a card that writes and reads back to itself, or throws an {@link
 *       IllegalArgumentException} with one line; anything else (a stack overflow, a class cast, a hang) is a
 *       finding.
 *   <li>{@code typedFields}: a shipped card with one field (top level, or one entry of {@code metrics}, {@code
 *       model}, {@code evaluation}, {@code training}) replaced by a value of any JSON type, or removed. The reader
 *       either refuses it in one line naming that field, or returns exactly the value written: never a coerced,
 *       clamped or silently dropped one.
 * </ul>
 */
class ModelCardFuzzTest {
  private static final Map<String, Object> SHIPPED = shippedCard();
  private static final List<String> TOP = List.copyOf(SHIPPED.keySet());
  private static final List<String> NESTED = List.of("metrics", "model", "evaluation", "training");
  /** Top-level fields the reader ignores (repeated from 'training' for readers that look there first). */
  private static final Set<String> UNTYPED = Set.of("epochs", "seed");

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

  @FuzzTest(maxDuration = "10m")
  @SuppressWarnings("unchecked")
  void typedFields(FuzzedDataProvider data) {
    Map<String, Object> edited = copy(SHIPPED);
    String top = data.pickValue(TOP);
    String field = top;
    Map<String, Object> parent = edited;
    if (NESTED.contains(top) && data.consumeBoolean()) {
      parent = new LinkedHashMap<>((Map<String, Object>) edited.getOrDefault(top, Map.of()));
      edited.put(top, parent);
      field = data.consumeBoolean() && !parent.isEmpty() ? data.pickValue(List.copyOf(parent.keySet()))
          : data.consumeAsciiString(12);
    }
    boolean remove = data.consumeInt(0, 15) == 0;
    Object value = remove ? null : value(data, 2);
    if (remove) {
      parent.remove(field);
    } else {
      parent.put(field, value);
    }
    String name = parent == edited ? field : top + "." + field;

    ModelCard card;
    try {
      card = ModelCard.fromJson(Json.write(edited), "fuzz-card");
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      assertFalse(m.contains("\n"), "one line: " + m);
      assertTrue(m.startsWith("fuzz-card"), m);
      // a key with control characters is named with them replaced, so the message stays one line
      String named = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? name : top;
      assertTrue(m.contains(named), "names '" + named + "': " + m);
      assertFalse(UNTYPED.contains(name) || name.startsWith("model.") || name.startsWith("training.")
          || name.startsWith("evaluation."), "free-form fields are not refused: " + m);
      return;
    }
    assertEquals(card, ModelCard.fromJson(card.toJson(), "written"), "a card reads back as written");
    Object read = readBack(card, name);
    if (read == NOT_TYPED) {
      return;
    }
    if (remove || value == null) {
      assertTrue(read == null || read instanceof Map<?, ?> m && m.isEmpty(), name + " absent, read " + read);
    } else if (name.startsWith("metrics.")) {
      assertEquals(((Number) value).doubleValue(), (Double) read, 0, name + " read as written");
    } else {
      assertEquals(value, read, name + " read as written");
    }
  }

  private static final Object NOT_TYPED = new Object();

  /** The typed value the card holds for a field (a metric as its double), as the written JSON would give it. */
  private static Object readBack(ModelCard card, String name) {
    return switch (name) {
      case "format" -> (long) card.format();
      case "vae4j_version" -> card.vae4jVersion();
      case "latent_dim" -> (long) card.latentDim();
      case "architecture" -> card.architecture();
      case "likelihood" -> card.likelihood();
      case "dataset" -> card.dataset();
      case "score_samples" -> (long) card.scoreSamples();
      case "parameters" -> card.parameters();
      case "created" -> card.created();
      case "model" -> card.model();
      case "evaluation" -> card.evaluation();
      case "training" -> card.training();
      case "image_shape" -> toLongs(card.imageShape());
      default -> name.startsWith("metrics.") ? card.metrics().get(name.substring("metrics.".length()))
          : NOT_TYPED;
    };
  }

  private static List<Object> toLongs(int[] values) {
    List<Object> out = new ArrayList<>();
    for (int v : values) {
      out.add((long) v);
    }
    return out;
  }

  /** A JSON value of any type, as Json.parse would return it (so a written and re-read value compares equal). */
  private static Object value(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth > 0 ? 7 : 5)) {
      case 0 -> data.consumeLong();
      case 1 -> data.pickValue(List.of(1e40, -1.0, 0.5, 2.0, 1e-300, (double) Long.MAX_VALUE, 28.0));
      case 2 -> data.consumeAsciiString(20);
      case 3 -> data.consumeBoolean();
      case 4 -> null;
      case 5 -> (long) data.consumeInt(-2, 5000);
      case 6 -> {
        List<Object> list = new ArrayList<>();
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
          list.add(value(data, depth - 1));
        }
        yield list;
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          map.put(data.consumeAsciiString(6), value(data, depth - 1));
        }
        yield map;
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> card) {
    return (Map<String, Object>) Json.parse(Json.write(card));
  }

  private static Map<String, Object> shippedCard() {
    try {
      return Json.parseObject(Files.readString(Path.of("savedmodels/mnist-z2/1", Contract.MODEL_CARD)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
