package org.vae4j.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.Fixtures;
import org.vae4j.contract.Contract;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.tf.Tensors;

/**
 * The SavedModel contract of a label-conditioned model, through TensorFlow's own loader (what TF Serving uses):
 * every signature takes {@code label}, {@code sample} takes labels in place of a count, and a label outside the
 * classes stops the call with a message instead of decoding a condition never trained on.
 */
class ConditionalExportTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.conditionalModel();

  @Test
  void everySignatureTakesOneInt32LabelPerRow() {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG)) {
      Map<String, Signature> sigs = b.signatures().stream().collect(Collectors.toMap(Signature::key, s -> s));
      assertEquals(Set.of("encode", "serving_default", "decode", "reconstruct", "sample", "score", "log_weights"),
          sigs.keySet());
      for (Signature s : sigs.values()) {
        Signature.TensorDescription label = s.getInputs().get("label");
        assertEquals("DT_INT32", label.dataType.name(), s.key());
        assertArrayEquals(new long[] {-1}, label.shape.asArray(), s.key());
      }
      assertEquals(Set.of("images", "label"), sigs.get("encode").inputNames());
      assertEquals(Set.of("latent", "label"), sigs.get("decode").inputNames());
      assertEquals(Set.of("label", "seed"), sigs.get("sample").inputNames(), "one image per label, no count");
      assertEquals(Set.of("images", "label", "samples", "seed"), sigs.get("log_weights").inputNames());
    }
  }

  @Test
  void theCardRecordsTheConditioning() throws IOException {
    Map<String, Object> card = Json.parseObject(Files.readString(MODEL.version.resolve(Contract.MODEL_CARD),
        StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    Map<String, Object> model = (Map<String, Object>) card.get("model");
    assertEquals("label", model.get("conditioning"));
    assertEquals(10L, model.get("classes"));
  }

  @Test
  void sampleDrawsOneImagePerLabelFromThePriorWhateverTheLabel() {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG);
        TInt32 threes = TInt32.vectorOf(3, 3, 3);
        TInt32 sevens = TInt32.vectorOf(7, 7, 7);
        TInt64 seed = TInt64.scalarOf(5);
        Result a = b.function("sample").call(Map.of("label", threes, "seed", seed));
        Result c = b.function("sample").call(Map.of("label", sevens, "seed", seed))) {
      float[][] latentA = Tensors.toRows(a.get("latent").orElseThrow());
      float[][] imagesA = Tensors.toRows(a.get("images").orElseThrow());
      float[][] imagesC = Tensors.toRows(c.get("images").orElseThrow());
      assertEquals(3, imagesA.length);
      // the same seed draws the same codes (the prior does not depend on the label); the label alone changes
      // the images: exact equality holds, same graph and process
      assertArrayEquals(latentA, Tensors.toRows(c.get("latent").orElseThrow()));
      assertFalse(java.util.Arrays.deepEquals(imagesA, imagesC));
      double diff = 0;
      for (int i = 0; i < imagesA[0].length; i++) {
        diff += Math.abs(imagesA[0][i] - imagesC[0][i]);
      }
      assertTrue(diff > 1.0, "a 3 and a 7 from one code differ in more than a pixel's worth: " + diff);
    }
  }

  @Test
  void aLabelOutsideTheClassesStopsTheCallWithItsRange() {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG);
        TFloat32 images = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, 28, 28, 1));
        TInt32 labels = TInt32.vectorOf(1, 10)) {
      TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class,
          () -> b.function("encode").call(Map.of("images", images, "label", labels)).close());
      assertTrue(e.getMessage().contains("label must be between 0 and 9"), e.getMessage());
    }
  }
}
