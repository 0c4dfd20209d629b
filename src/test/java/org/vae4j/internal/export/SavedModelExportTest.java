package org.vae4j.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.internal.util.Files2;
import org.vae4j.spec.Device;

/** The SavedModel contract, checked through TensorFlow's own loader (the one TF Serving uses). */
class SavedModelExportTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();

  @TempDir
  Path dir;

  private static float[][] testImages(int from, int n) {
    return MODEL.data.test().images(from, n);
  }

  private static TFloat32 imageTensor(float[][] images) {
    return Tensors.rows(images, 28, 28, 1);
  }

  private static Map<String, float[][]> call(SavedModelBundle b, String key, Map<String, Tensor> in) {
    Map<String, float[][]> out = new HashMap<>();
    try (Result r = b.function(key).call(in)) {
      for (Map.Entry<String, Tensor> e : r) {
        Tensor t = e.getValue();
        out.put(e.getKey(), t.shape().numDimensions() == 1 ? new float[][] {Tensors.toFloats(t)} : Tensors.toRows(t));
      }
    }
    return out;
  }

  private static void assertClose(float[][] want, float[][] got, double tol) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i].length, got[i].length);
      for (int j = 0; j < want[i].length; j++) {
        assertEquals(want[i][j], got[i][j], tol, "row " + i + " column " + j);
      }
    }
  }

  @Test
  void signaturesHaveTheContractsNamesShapesAndMethod() {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG)) {
      Map<String, Signature> sigs = b.signatures().stream().collect(Collectors.toMap(Signature::key, s -> s));
      assertEquals(Set.of("encode", "serving_default", "decode", "reconstruct", "sample", "score", "log_weights"),
          sigs.keySet());
      assertEquals(Set.of("images", "samples", "seed"), sigs.get("log_weights").inputNames());
      assertEquals(Set.of("log_weights"), sigs.get("log_weights").outputNames());
      for (Signature s : sigs.values()) {
        assertEquals("tensorflow/serving/predict", s.methodName(), s.key());
      }
      assertArrayEquals(new long[] {-1, 28, 28, 1}, sigs.get("encode").getInputs().get("images").shape.asArray());
      assertEquals(Set.of("mean", "stddev"), sigs.get("encode").outputNames());
      assertArrayEquals(new long[] {-1, 8}, sigs.get("encode").getOutputs().get("mean").shape.asArray());
      assertEquals(sigs.get("encode").getInputs().keySet(), sigs.get("serving_default").getInputs().keySet());
      assertArrayEquals(new long[] {-1, 8}, sigs.get("decode").getInputs().get("latent").shape.asArray());
      assertArrayEquals(new long[] {-1, 28, 28, 1}, sigs.get("decode").getOutputs().get("images").shape.asArray());
      assertEquals(Set.of("count", "seed"), sigs.get("sample").inputNames());
      assertEquals(0, sigs.get("sample").getInputs().get("count").shape.numDimensions());
      assertEquals(0, sigs.get("sample").getInputs().get("seed").shape.numDimensions());
      assertEquals(Set.of("images", "latent"), sigs.get("sample").outputNames());
      assertEquals(Set.of("elbo", "reconstruction_log_likelihood", "kl"), sigs.get("score").outputNames());
    }
  }

  @Test
  void reloadedOutputsEqualTheInProcessModel() {
    float[][] images = testImages(0, 20);
    float[][][] inProcess = MODEL.session.encode(images);
    float[][] inProcessReconstruction = MODEL.session.reconstruct(images);
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG);
        TFloat32 x = imageTensor(images)) {
      Map<String, float[][]> enc = call(b, "encode", Map.of("images", x));
      assertClose(inProcess[0], enc.get("mean"), 1e-4);
      assertClose(inProcess[1], enc.get("stddev"), 1e-4);
      Map<String, float[][]> dflt = call(b, "serving_default", Map.of("images", x));
      assertClose(enc.get("mean"), dflt.get("mean"), 0);
      assertClose(inProcessReconstruction, call(b, "reconstruct", Map.of("images", x)).get("images"), 1e-4);
    }
  }

  @Test
  void reconstructIsDecodeOfTheEncoderMean() {
    float[][] images = testImages(20, 10);
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG);
        TFloat32 x = imageTensor(images)) {
      float[][] mean = call(b, "encode", Map.of("images", x)).get("mean");
      float[][] viaDecode;
      try (TFloat32 z = Tensors.rows(mean, 8)) {
        viaDecode = call(b, "decode", Map.of("latent", z)).get("images");
      }
      float[][] reconstructed = call(b, "reconstruct", Map.of("images", x)).get("images");
      assertClose(viaDecode, reconstructed, 1e-5);
      for (float[] row : reconstructed) {
        for (float v : row) {
          assertTrue(v >= 0 && v <= 1, "pixel means lie in [0, 1]");
        }
      }
    }
  }

  @Test
  void sampleIsDeterminedByItsSeed() {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG)) {
      Map<String, float[][]> first = sample(b, 6, 123);
      Map<String, float[][]> again = sample(b, 6, 123);
      Map<String, float[][]> other = sample(b, 6, 124);
      assertEquals(6, first.get("images").length);
      assertEquals(784, first.get("images")[0].length);
      assertEquals(8, first.get("latent")[0].length);
      assertClose(first.get("images"), again.get("images"), 0);
      assertClose(first.get("latent"), again.get("latent"), 0);
      assertNotEquals(first.get("latent")[0][0], other.get("latent")[0][0]);
      // the images are the decodings of the returned latent codes
      try (TFloat32 z = Tensors.rows(first.get("latent"), 8)) {
        assertClose(first.get("images"), call(b, "decode", Map.of("latent", z)).get("images"), 1e-5);
      }
    }
  }

  private static Map<String, float[][]> sample(SavedModelBundle b, int count, long seed) {
    try (TInt32 n = TInt32.scalarOf(count); TInt64 s = TInt64.scalarOf(seed)) {
      return call(b, "sample", Map.of("count", n, "seed", s));
    }
  }

  @Test
  void scoreIsADeterministicPerImageElbo() {
    float[][] images = testImages(0, 12);
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG)) {
      Map<String, float[][]> all;
      Map<String, float[][]> again;
      Map<String, float[][]> tail;
      try (TFloat32 x = imageTensor(images)) {
        all = call(b, "score", Map.of("images", x));
        again = call(b, "score", Map.of("images", x));
      }
      try (TFloat32 x = imageTensor(java.util.Arrays.copyOfRange(images, 5, 12))) {
        tail = call(b, "score", Map.of("images", x));
      }
      float[] elbo = all.get("elbo")[0];
      float[] rec = all.get("reconstruction_log_likelihood")[0];
      float[] kl = all.get("kl")[0];
      assertEquals(12, elbo.length);
      // exact: the same signature on the same tensor in one process (the score noise is fixed)
      assertArrayEquals(elbo, again.get("elbo")[0]);
      for (int i = 0; i < 12; i++) {
        assertEquals(rec[i] - kl[i], elbo[i], 1e-3);
        assertTrue(elbo[i] < 0 && kl[i] >= 0);
      }
      // an image's score does not depend on the rest of its batch
      for (int i = 5; i < 12; i++) {
        assertEquals(elbo[i], tail.get("elbo")[0][i - 5], 1e-2);
      }
    }
  }

  @Test
  void logWeightsHaveOneColumnPerSampleAndFollowTheSeed() {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG);
        TFloat32 x = imageTensor(testImages(0, 3));
        TInt32 k = TInt32.scalarOf(7);
        TInt64 s1 = TInt64.scalarOf(5);
        TInt64 s2 = TInt64.scalarOf(6)) {
      float[][] a = call(b, "log_weights", Map.of("images", x, "samples", k, "seed", s1)).get("log_weights");
      float[][] again = call(b, "log_weights", Map.of("images", x, "samples", k, "seed", s1)).get("log_weights");
      float[][] other = call(b, "log_weights", Map.of("images", x, "samples", k, "seed", s2)).get("log_weights");
      assertEquals(3, a.length);
      assertEquals(7, a[0].length);
      assertClose(a, again, 0);
      assertNotEquals(a[0][0], other[0][0]);
    }
  }

  @Test
  void theGraphIsInferenceOnlyAndTheVariablesAreFourBytesPerParameter() throws IOException {
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG)) {
      Set<String> types = new java.util.HashSet<>();
      long variables = 0;
      for (Iterator<GraphOperation> it = b.graph().operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        types.add(op.type());
        if (op.type().equals("VariableV2")) {
          variables++;
          assertFalse(op.name().contains("adam"), "no optimizer slot: " + op.name());
        }
        assertFalse(op.name().startsWith("gradients"), "no gradient op: " + op.name());
      }
      for (String training : List.of("ApplyAdam", "AssignSub", "StatelessRandomUniform")) {
        assertFalse(types.contains(training), "no " + training + " in the serving graph");
      }
      assertTrue(variables > 0);
    }
    long parameters = MODEL.session.parameterCount();
    long dataBytes = Files.size(MODEL.version.resolve("variables/variables.data-00000-of-00001"));
    // trainable weights plus batch norm's moving statistics, 4 bytes each
    assertTrue(dataBytes >= 4 * parameters && dataBytes < 4.01 * parameters,
        dataBytes + " bytes for " + parameters + " parameters");
  }

  @Test
  void modelCardTravelsWithTheModel() throws IOException {
    String json = Files.readString(MODEL.version.resolve(Contract.MODEL_CARD), StandardCharsets.UTF_8);
    ModelCard card = ModelCard.fromJson(json, "card");
    assertArrayEquals(new int[] {28, 28, 1}, card.imageShape());
    assertEquals(8, card.latentDim());
    assertEquals("conv", card.architecture());
    assertEquals(11L, ((Number) card.training().get("seed")).longValue());
    assertTrue(card.metrics().get("test_elbo") < 0);
    assertEquals(MODEL.card, card);
  }

  @Test
  void anExistingVersionIsNeverOverwritten() throws IOException {
    Path base = dir.resolve("models");
    Path v1 = SavedModelExport.export(MODEL.spec, MODEL.checkpoint, MODEL.card, base, 1, org.vae4j.internal.tf.Sessions.cpu());
    long before = Files2.size(v1);
    VaeException e = assertThrows(VaeException.class, () -> SavedModelExport.export(MODEL.spec, MODEL.checkpoint,
        MODEL.card, base, 1, org.vae4j.internal.tf.Sessions.cpu()));
    assertTrue(e.getMessage().contains("exists already"), e.getMessage());
    assertEquals(before, Files2.size(v1));
    SavedModelExport.export(MODEL.spec, MODEL.checkpoint, MODEL.card, base, 2, org.vae4j.internal.tf.Sessions.cpu());
    try (Stream<Path> children = Files.list(base)) {
      assertEquals(Set.of("1", "2"), children.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
          "no temporary folder is left beside the versions");
    }
  }

  @Test
  void aFailedExportLeavesNothingBehind() throws IOException {
    Path base = dir.resolve("broken");
    Path missing = dir.resolve("no-checkpoint/variables");
    VaeException e = assertThrows(VaeException.class, () -> SavedModelExport.export(MODEL.spec, missing,
        MODEL.card, base, 1, org.vae4j.internal.tf.Sessions.cpu()));
    assertTrue(e.getMessage().contains("cannot export"), e.getMessage());
    try (Stream<Path> children = Files.list(base)) {
      assertEquals(0, children.count(), "no half-written version or temporary folder");
    }
  }

  @Test
  void runningOutOfDiskMidExportIsAnErrorAndThePreviousVersionStillServes() throws IOException {
    Path base = dir.resolve("full");
    SavedModelExport.export(MODEL.spec, MODEL.checkpoint, MODEL.card, base, 1, org.vae4j.internal.tf.Sessions.cpu());
    VaeException e = assertThrows(VaeException.class, () -> SavedModelExport.export(MODEL.spec, MODEL.checkpoint,
        org.vae4j.spec.Weights.LAST, MODEL.card, base, 2, org.vae4j.internal.tf.Sessions.cpu(), tmp -> {
          Files.write(tmp.resolve("variables/partial"), new byte[1000]);
          throw new IOException("No space left on device");
        }));
    assertTrue(e.getMessage().startsWith("cannot export the SavedModel to " + base.resolve("2"))
        && e.getMessage().contains("No space left on device"), e.getMessage());
    try (Stream<Path> children = Files.list(base)) {
      assertEquals(Set.of("1"), children.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    try (org.vae4j.serve.Vae vae = org.vae4j.serve.Vae.load(base)) {
      assertEquals(base.resolve("1"), vae.path());
      assertEquals(1, vae.decode(new float[][] {new float[MODEL.spec.latentDim()]}).length);
    }
  }
}
