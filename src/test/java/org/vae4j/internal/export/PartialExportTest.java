package org.vae4j.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.vae4j.Fixtures;
import org.vae4j.contract.Contract;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.tf.Tensors;

/**
 * The SavedModel contract of a partial-input model, through TensorFlow's own loader: decode and sample take the
 * observed input {@code condition} (float [-1, 28, 28, 1]), the signatures that take whole images read it from
 * them, and only the observed positions matter.
 */
class PartialExportTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.partialModel();

  @Test
  void decodeAndSampleTakeTheObservedInputTheOthersReadItFromTheirImages() {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG)) {
      Map<String, Signature> sigs = b.signatures().stream().collect(Collectors.toMap(Signature::key, s -> s));
      assertEquals(Set.of("encode", "serving_default", "decode", "reconstruct", "sample", "score", "log_weights"),
          sigs.keySet());
      assertEquals(Set.of("images"), sigs.get("encode").inputNames());
      assertEquals(Set.of("images"), sigs.get("score").inputNames());
      assertEquals(Set.of("images", "samples", "seed"), sigs.get("log_weights").inputNames());
      assertEquals(Set.of("latent", "condition"), sigs.get("decode").inputNames());
      assertEquals(Set.of("condition", "seed"), sigs.get("sample").inputNames(), "one image per input, no count");
      Signature.TensorDescription c = sigs.get("sample").getInputs().get("condition");
      assertEquals("DT_FLOAT", c.dataType.name());
      assertArrayEquals(new long[] {-1, 28, 28, 1}, c.shape.asArray());
    }
  }

  @Test
  void theCardRecordsWhatTheModelObserves() throws IOException {
    Map<String, Object> card = Json.parseObject(Files.readString(MODEL.version.resolve(Contract.MODEL_CARD),
        StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    Map<String, Object> model = (Map<String, Object>) card.get("model");
    assertEquals("partial", model.get("conditioning"));
    assertEquals("middle-column", model.get("observe"));
    assertFalse(model.containsKey("regressor"));
  }

  @Test
  void sampleReadsOnlyTheMiddleColumnOfItsCondition() {
    float[][] images = MODEL.data.test().images(0, 3);
    float[][] scrambled = new float[3][];
    for (int i = 0; i < 3; i++) {
      scrambled[i] = images[i].clone();
      for (int p = 0; p < scrambled[i].length; p++) {
        if (p % 28 != 14) {
          scrambled[i][p] = (p * 7919 % 13) / 12f;
        }
      }
    }
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG);
        TFloat32 a = Tensors.rows(images, 28, 28, 1);
        TFloat32 c = Tensors.rows(scrambled, 28, 28, 1);
        TInt64 seed = TInt64.scalarOf(5);
        Result ra = b.function("sample").call(Map.of("condition", a, "seed", seed));
        Result rc = b.function("sample").call(Map.of("condition", c, "seed", seed))) {
      // the gather reads the same 28 values from both: same graph, shapes and process, so exactly equal
      assertArrayEquals(Tensors.toRows(ra.get("images").orElseThrow()), Tensors.toRows(rc.get("images").orElseThrow()));
      assertTrue(Tensors.toRows(ra.get("images").orElseThrow()).length == 3);
    }
  }
}
