package org.vae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.tf.Tensors;

class ObjectiveTest {
  /** Runs a graph built by {@code build} and returns the values of its single output. */
  static float[] eval(java.util.function.Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = build.apply(tf);
      try (Session s = new Session(g); Result r = s.runner().fetch(out).run()) {
        return Tensors.toFloats(r.get(0));
      }
    }
  }

  /** A float constant of the given shape. */
  static Operand<TFloat32> c(Ops tf, float[] values, long... shape) {
    return tf.constant(org.tensorflow.ndarray.Shape.of(shape), org.tensorflow.ndarray.buffer.DataBuffers.of(values));
  }

  private static double logSigmoid(double l) {
    return l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l));
  }

  private static double bernoulli(float[] logits, float[] x, int from, int n) {
    double sum = 0;
    for (int i = from; i < from + n; i++) {
      sum += x[i] * logSigmoid(logits[i]) + (1 - x[i]) * logSigmoid(-logits[i]);
    }
    return sum;
  }

  @Test
  void bernoulliLogLikelihoodMatchesTheClosedForm() {
    float[] logits = {0f, 2f, -3f, 50f, -50f, 1f, 0.5f, -0.5f};
    float[] x = {0.2f, 1f, 0f, 1f, 0f, 0.3f, 1f, 0.5f};
    float[] got = eval(tf -> Objective.bernoulliLogLikelihood(tf, c(tf, logits, 2, 2, 2, 1),
        c(tf, x, 2, 2, 2, 1), 4));
    assertEquals(2, got.length);
    assertEquals(bernoulli(logits, x, 0, 4), got[0], 1e-4);
    assertEquals(bernoulli(logits, x, 4, 4), got[1], 1e-4);
  }

  @Test
  void bernoulliLogLikelihoodStaysFiniteForSaturatedLogits() {
    // sigmoid(100) rounds to 1 in float32, so log(1 - sigmoid) would be -inf; the stable form gives -100
    float[] got = eval(tf -> Objective.bernoulliLogLikelihood(tf, c(tf, new float[] {100f, -100f}, 1, 2),
        c(tf, new float[] {0f, 1f}, 1, 2), 2));
    assertEquals(-200f, got[0], 1e-3);
  }

  @Test
  void multiSampleLikelihoodAveragesEachImagesOwnRows() {
    // two images, two decodings each: rows 0,1 belong to image 0 and rows 2,3 to image 1
    float[] logits = {1f, -1f, 2f, 0f, -2f, 3f, 0.5f, 0.5f};
    float[] x = {1f, 0f, 0.25f, 0.75f};
    float[] got = eval(tf -> Objective.bernoulliLogLikelihoodOverSamples(tf, c(tf, logits, 4, 2),
        c(tf, x, 2, 2), 2, 2));
    // each image's pixels, repeated under each of its two decodings
    float[] xRepeated = {1f, 0f, 1f, 0f, 0.25f, 0.75f, 0.25f, 0.75f};
    assertEquals((bernoulli(logits, xRepeated, 0, 2) + bernoulli(logits, xRepeated, 2, 2)) / 2, got[0], 1e-4);
    assertEquals((bernoulli(logits, xRepeated, 4, 2) + bernoulli(logits, xRepeated, 6, 2)) / 2, got[1], 1e-4);
  }

  @Test
  void klMatchesTheClosedForm() {
    float[] mean = {0.5f, -1f, 0f, 0f};
    float[] stddev = {1f, 0.3f, 1f, 2f};
    float[] got = eval(tf -> Objective.klToStandardNormal(tf,
        new Posterior(c(tf, mean, 2, 2), c(tf, stddev, 2, 2))));
    double kl0 = 0.5 * (0.25 + 1 - 0 - 1) + 0.5 * (1 + 0.09 - 2 * Math.log(0.3) - 1);
    double kl1 = 0 + 0.5 * (0 + 4 - 2 * Math.log(2) - 1);
    assertEquals(kl0, got[0], 1e-5);
    assertEquals(kl1, got[1], 1e-5);
  }

  @Test
  void klOfTheStandardNormalIsZero() {
    float[] got = eval(tf -> Objective.klToStandardNormal(tf,
        new Posterior(c(tf, new float[3], 1, 3), c(tf, new float[] {1f, 1f, 1f}, 1, 3))));
    assertEquals(0f, got[0], 1e-7);
  }

  @Test
  void noiseIsStandardNormalAndDeterminedBySeed() {
    float[] a = eval(tf -> Objective.standardNormal(tf, tf.constant(20_000), 2, tf.constant(new long[] {5, 9})));
    float[] b = eval(tf -> Objective.standardNormal(tf, tf.constant(20_000), 2, tf.constant(new long[] {5, 9})));
    float[] c = eval(tf -> Objective.standardNormal(tf, tf.constant(20_000), 2, tf.constant(new long[] {5, 10})));
    assertEquals(40_000, a.length);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    double mean = 0;
    double sq = 0;
    for (float v : a) {
      mean += v;
      sq += v * v;
    }
    mean /= a.length;
    double var = sq / a.length - mean * mean;
    assertEquals(0, mean, 0.02);
    assertEquals(1, var, 0.03);
  }

  @Test
  void reparameterizationShiftsAndScales() {
    float[] z = eval(tf -> Objective.reparameterize(tf,
        new Posterior(tf.constant(new float[] {1f, -2f}), tf.constant(new float[] {0.5f, 3f})),
        tf.constant(new float[] {2f, -1f})));
    assertArrayEquals(new float[] {2f, -5f}, z);
    assertTrue(z.length == 2);
  }
}
