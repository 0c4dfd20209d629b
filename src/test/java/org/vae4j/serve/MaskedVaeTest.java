package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Contract;
import org.vae4j.contract.Given;
import org.vae4j.contract.Observation;
import org.vae4j.internal.tf.Tensors;

/**
 * A random-mask CVAE: every signature takes the mask beside its images or observed inputs, only the masked
 * values are read, the ELBO of p(Y|X) stays below its importance-sampled estimate, and every mask that does not
 * fit gets one sentence.
 */
class MaskedVaeTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.maskedModel();
  private static final int SIZE = 28 * 28;

  @TempDir
  Path dir;

  private static float[][] images(int n) {
    return MODEL.data.test().images(0, n);
  }

  private static boolean[][] masks(int n, long seed) {
    return Observation.RANDOM_MASK.masks(0, n, 28, 28, 1, seed);
  }

  private static boolean[][] all(int n, boolean value) {
    boolean[][] out = new boolean[n][SIZE];
    for (boolean[] m : out) {
      Arrays.fill(m, value);
    }
    return out;
  }

  @Test
  void everySignatureTakesTheMask() {
    try (Vae vae = Vae.load(MODEL.version)) {
      assertEquals(new Conditioning.Partial(Observation.RANDOM_MASK, false), vae.conditioning());
      assertTrue(vae.conditioning().masked());
    }
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG)) {
      Map<String, Signature> sigs = b.signatures().stream().collect(Collectors.toMap(Signature::key, s -> s));
      assertEquals(Set.of("images", "mask"), sigs.get("encode").inputNames());
      assertEquals(Set.of("images", "mask"), sigs.get("serving_default").inputNames());
      assertEquals(Set.of("images", "mask"), sigs.get("reconstruct").inputNames());
      assertEquals(Set.of("images", "mask"), sigs.get("score").inputNames());
      assertEquals(Set.of("images", "mask", "samples", "seed"), sigs.get("log_weights").inputNames());
      assertEquals(Set.of("latent", "condition", "mask"), sigs.get("decode").inputNames());
      assertEquals(Set.of("condition", "mask", "seed"), sigs.get("sample").inputNames());
      Signature.TensorDescription m = sigs.get("sample").getInputs().get("mask");
      assertEquals("DT_FLOAT", m.dataType.name());
      assertArrayEquals(new long[] {-1, 28, 28, 1}, m.shape.asArray());
    }
  }

  @Test
  void onlyTheMaskedValuesAreRead() {
    float[][] x = images(3);
    boolean[][] m = masks(3, 4);
    float[][] scrambled = new float[3][];
    for (int i = 0; i < 3; i++) {
      scrambled[i] = x[i].clone();
      for (int p = 0; p < SIZE; p++) {
        if (!m[i][p]) {
          scrambled[i][p] = (p * 7919 % 13) / 12f;
        }
      }
    }
    try (Vae vae = Vae.load(MODEL.version)) {
      // x times a 0/1 mask is the same float for both inputs: same graph, shapes and process, so exactly equal
      assertArrayEquals(vae.complete(Given.observed(x, m), 2, 9), vae.complete(Given.observed(scrambled, m), 2, 9));
      float[][][] other = vae.complete(Given.observed(x, masks(3, 5)), 2, 9);
      assertFalse(Arrays.equals(other[0][0], vae.complete(Given.observed(x, m), 2, 9)[0][0]), "another mask, another completion");
      // with nothing observed the input does not matter at all
      float[][] z = new float[3][4];
      assertArrayEquals(vae.decode(z, Given.observed(x, all(3, false))), vae.decode(z, Given.observed(scrambled, all(3, false))));
    }
  }

  @Test
  void theConditionalElboNeverExceedsTheImportanceSampledEstimate() {
    float[][] x = images(20);
    boolean[][] m = masks(20, 1);
    try (Vae vae = Vae.load(MODEL.version)) {
      ElboScorer scorer = vae.likelihood().orElseThrow();
      Vae.Importance is = scorer.importance(x, Given.masks(m), 64, 3, null);
      double meanLogP = 0;
      for (int i = 0; i < x.length; i++) {
        // log of a mean of weights is at least the mean of their logs (Jensen), image by image
        assertTrue(is.logLikelihood()[i] >= is.elbo()[i] - 1e-9, "image " + i);
        meanLogP += is.logLikelihood()[i] / x.length;
      }
      double meanElbo = 0;
      for (float e : scorer.score(x, Given.masks(m)).elbo()) {
        meanElbo += e / x.length;
      }
      assertTrue(meanElbo <= meanLogP, "ELBO " + meanElbo + " above log p(Y|X) " + meanLogP);
      // seeing every pixel leaves less to explain than seeing none: what the tiny model learned, not a bound (it
      // holds by a wide margin: the decoder reads every pixel of Y in X when all are observed)
      double seen = mean(scorer.score(x, Given.masks(all(20, true))).elbo());
      double unseen = mean(scorer.score(x, Given.masks(all(20, false))).elbo());
      assertTrue(seen > unseen, "all observed " + seen + " vs none " + unseen);
    }
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f / v.length;
    }
    return s;
  }

  @Test
  void masksThatDoNotFitGetOneSentence() {
    float[][] x = images(2);
    try (Vae vae = Vae.load(MODEL.version)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vae.encode(x));
      assertEquals("this model observes a random mask of each image: give one mask (a flag per value, true where"
          + " observed) per image", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.reconstruct(x, Given.masks(masks(3, 0))));
      assertEquals("3 masks for 2 images; give one mask per image", e.getMessage());
      boolean[][] short1 = {new boolean[SIZE], new boolean[5]};
      e = assertThrows(IllegalArgumentException.class, () -> vae.likelihood().orElseThrow().score(x, Given.masks(short1)));
      assertEquals("mask 1 has 5 flags; this model expects 784, one per value of an image", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.complete(Given.observed(x), 2, 1));
      assertTrue(e.getMessage().startsWith("this model observes a random mask of each image"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.sample(2, 1));
      assertEquals("this model completes observed inputs: call sample(Given.observed(...), seed) or complete(...)"
          + " with the observed input and mask of each image", e.getMessage());
    }
    try (Vae plain = Vae.load(Fixtures.partialModel().version)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> plain.encode(x, Given.masks(masks(2, 0))));
      assertEquals("this model takes no masks: it always observes its middle-column", e.getMessage());
    }
  }

  @Test
  void theGraphRefusesAMaskThatIsNotZeroOrOne() {
    float[][] x = images(1);
    float[][] half = new float[1][SIZE];
    Arrays.fill(half[0], 0.5f);
    try (SavedModelBundle b = SavedModelBundle.load(MODEL.version.toString(), Contract.TAG);
        TFloat32 c = Tensors.rows(x, 28, 28, 1);
        TFloat32 m = Tensors.rows(half, 28, 28, 1);
        TInt64 seed = TInt64.scalarOf(5)) {
      Exception e = assertThrows(Exception.class,
          () -> b.function("sample").call(Map.of("condition", c, "mask", m, "seed", seed)).close());
      assertTrue(e.getMessage().contains("mask values must be 0 or 1"), e.getMessage());
    }
  }

  @Test
  void aCardAndAGraphThatDisagreeOnTheMaskAreRefused() throws IOException {
    Path fixed = Fixtures.copyModel(MODEL.version, dir.resolve("fixed"));
    Fixtures.editCard(fixed, "\"random-mask\"", "\"middle-column\"");
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(fixed));
    assertTrue(e.getMessage().contains("takes a 'mask', which the model card's conditioning does not explain"),
        e.getMessage());
    Path masked = Fixtures.copyModel(Fixtures.partialModel().version, dir.resolve("masked"));
    Fixtures.editCard(masked, "\"middle-column\"", "\"random-mask\"");
    e = assertThrows(VaeException.class, () -> Vae.load(masked));
    assertTrue(e.getMessage().contains("takes no 'mask', but the model card says each image comes with a random"
        + " mask"), e.getMessage());
  }
}
