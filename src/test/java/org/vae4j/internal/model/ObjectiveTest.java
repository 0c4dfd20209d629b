package org.vae4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.spec.StddevParameterization;

class ObjectiveTest {
  /** Runs a graph built by {@code build} and returns the values of its single output. */
  static float[] eval(Function<Ops, Operand<TFloat32>> build) {
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
    return tf.constant(Shape.of(shape), DataBuffers.of(values));
  }

  /** A posterior with the given stddev and its exact log. */
  static Posterior posterior(Ops tf, float[] mean, float[] stddev, long... shape) {
    float[] log = new float[stddev.length];
    for (int i = 0; i < log.length; i++) {
      log[i] = (float) Math.log(stddev[i]);
    }
    return new Posterior(c(tf, mean, shape), c(tf, stddev, shape), c(tf, log, shape));
  }

  @Test
  void klMatchesTheClosedFormPerDimensionAndInTotal() {
    float[] mean = {0.5f, -1f, 0f, 0f};
    float[] stddev = {1f, 0.3f, 1f, 2f};
    float[] perDim = eval(tf -> Objective.klPerDimension(tf, posterior(tf, mean, stddev, 2, 2)));
    float[] total = eval(tf -> Objective.klToStandardNormal(tf, posterior(tf, mean, stddev, 2, 2)));
    double[] want = {0.5 * 0.25, 0.5 * (1 + 0.09 - 2 * Math.log(0.3) - 1), 0, 0.5 * (4 - 2 * Math.log(2) - 1)};
    for (int i = 0; i < 4; i++) {
      assertEquals(want[i], perDim[i], 1e-5);
    }
    assertEquals(want[0] + want[1], total[0], 1e-5);
    assertEquals(want[2] + want[3], total[1], 1e-5);
  }

  @Test
  void expParameterizationKeepsTheKlFiniteWhereTheStddevUnderflows() {
    // raw log-variance -300: stddev = exp(-150) is 0 in float32, log(stddev) would be -inf
    float[] kl = eval(tf -> Objective.klToStandardNormal(tf, Posterior.of(StddevParameterization.EXP, tf,
        c(tf, new float[] {0f}, 1, 1), c(tf, new float[] {-300f}, 1, 1))));
    assertEquals(0.5 * (0 + 0 + 300 - 1), kl[0], 1e-3);
    float[] soft = eval(tf -> Posterior.of(StddevParameterization.SOFTPLUS, tf, c(tf, new float[] {0f}, 1, 1),
        c(tf, new float[] {-100f}, 1, 1)).stddev());
    assertEquals(Posterior.MIN_STDDEV, soft[0], 1e-9);
  }

  @Test
  void freeBitsZeroTheKlGradientOfDimensionsUnderTheFloor() {
    // batch-mean KL per dimension comes from means m (stddev 1): KL_j = m_j^2 / 2 -> gradient m_j when counted
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters p = new Parameters(tf, 1);
      Variable<TFloat32> m = p.get("m", Shape.of(1, 3), new Parameters.Constant(0f), true);
      // read the variable through Identity: TF 2.18's SquareGrad crashes on a variable's ref output used directly
      Posterior q = new Posterior(tf.identity(m), c(tf, new float[] {1f, 1f, 1f}, 1, 3), c(tf, new float[3], 1, 3));
      Operand<TFloat32> perDimMean = tf.math.mean(Objective.klPerDimension(tf, q), tf.constant(0));
      Operand<TFloat32> floored = Objective.klTerm(tf, perDimMean, 0.5f);
      Operand<TFloat32> plain = Objective.klTerm(tf, perDimMean, 0f);
      Output<?>[] gFloored = g.addGradients(floored.asOutput(), new Output<?>[] {m.asOutput()});
      Output<?>[] gPlain = g.addGradients(plain.asOutput(), new Output<?>[] {m.asOutput()});
      try (Session s = new Session(g, false, null)) {
        Session.Runner init = s.runner();
        p.initializers().forEach(init::addTarget);
        init.run().close();
        // KL per dimension: 0.02, 2.0, 0.125 -> dims 0 and 2 are under the 0.5-nat floor
        s.runner().addTarget(tf.assign(m, c(tf, new float[] {0.2f, 2f, -0.5f}, 1, 3))).run().close();
        try (Result r = s.runner().fetch(gFloored[0]).fetch(gPlain[0]).fetch(floored).run()) {
          assertArrayEquals(new float[] {0f, 2f, 0f}, Tensors.toFloats(r.get(0)), 1e-6f);
          assertArrayEquals(new float[] {0.2f, 2f, -0.5f}, Tensors.toFloats(r.get(1)), 1e-6f);
          assertEquals(0.5 + 2.0 + 0.5, Tensors.scalar(r.get(2)), 1e-5);
        }
      }
    }
  }

  @Test
  void reparameterizationLaysOutSamplesImageByImage() {
    // 2 images, 3 samples each, shared noise [1, 3, 1]
    float[] z = eval(tf -> Objective.reparameterize(tf,
        posterior(tf, new float[] {10f, -10f}, new float[] {1f, 2f}, 2, 1),
        c(tf, new float[] {0f, 1f, -1f}, 1, 3, 1), 1));
    assertArrayEquals(new float[] {10f, 11f, 9f, -10f, -8f, -12f}, z);
  }

  @Test
  void noiseIsStandardNormalAndDeterminedBySeed() {
    Function<long[], float[]> draw = seed -> eval(tf -> Objective.standardNormal(tf,
        Shapes.shape(tf, tf.constant(20_000), 2), tf.constant(seed)));
    float[] a = draw.apply(new long[] {5, 9});
    float[] b = draw.apply(new long[] {5, 9});
    float[] c = draw.apply(new long[] {5, 10});
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
    assertEquals(0, mean, 0.02);
    assertEquals(1, sq / a.length - mean * mean, 0.03);
  }

  @Test
  void shapeHelperConcatenatesRowsAndColumns() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var shape = Shapes.shape(tf, tf.constant(7), 3, 2);
      try (Session s = new Session(g); Result r = s.runner().fetch(shape).run()) {
        int[] got = new int[3];
        ((org.tensorflow.types.TInt32) r.get(0)).copyTo(DataBuffers.of(got, false, false));
        assertEquals(List.of(7, 3, 2), Arrays.stream(got).boxed().toList());
      }
    }
  }
}
