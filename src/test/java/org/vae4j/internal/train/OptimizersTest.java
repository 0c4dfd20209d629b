package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.vae4j.internal.model.Parameters;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.spec.OptimizerConfig;

/** SGD, momentum and RMSProp steps against their update rules; clipping against its bounds. */
class OptimizersTest {
  /** w after each of {@code steps} updates of loss(w), starting from {@code start}. */
  private static List<float[]> run(OptimizerConfig config, float[] start,
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> loss, int steps) {
    List<float[]> trajectory = new ArrayList<>();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters p = new Parameters(tf, 1);
      Variable<TFloat32> w = p.get("w", Shape.of(start.length), new Parameters.Constant(0f), true);
      GraphOptimizer opt = GraphOptimizer.create(config, p);
      Op update = opt.minimize(List.of(w), GraphOptimizer.gradients(g, loss.apply(tf, tf.identity(w)), List.of(w)),
          List.of(), "update");
      try (Session s = new Session(g, false, null)) {
        Session.Runner init = s.runner();
        p.initializers().forEach(init::addTarget);
        init.run().close();
        s.runner().addTarget(tf.assign(w, tf.constant(start))).run().close();
        for (int step = 1; step <= steps; step++) {
          Session.Runner r = s.runner().addTarget(update);
          List<Tensor> fed = opt.feed(r, step, config.learningRate());
          r.run().close();
          fed.forEach(Tensor::close);
          try (Result out = s.runner().fetch(w).run()) {
            trajectory.add(Tensors.toFloats(out.get(0)));
          }
        }
      }
    }
    return trajectory;
  }

  /** loss = sum((w - 1)^2): gradient 2 (w - 1). */
  private static Operand<TFloat32> quadratic(Ops tf, Operand<TFloat32> w) {
    return tf.sum(tf.math.square(tf.math.sub(w, tf.constant(1f))), tf.constant(0));
  }

  @Test
  void sgdSubtractsTheScaledGradient() {
    List<float[]> t = run(OptimizerConfig.adam().withKind(OptimizerConfig.Kind.SGD).withLearningRate(0.1f),
        new float[] {3f, -1f}, OptimizersTest::quadratic, 5);
    double[] w = {3, -1};
    for (float[] got : t) {
      for (int i = 0; i < 2; i++) {
        w[i] -= 0.1 * 2 * (w[i] - 1);
        assertEquals(w[i], got[i], 1e-5);
      }
    }
  }

  @Test
  void momentumAccumulatesVelocity() {
    List<float[]> t = run(OptimizerConfig.adam().withKind(OptimizerConfig.Kind.MOMENTUM).withLearningRate(0.05f)
        .withMomentum(0.8f), new float[] {3f}, OptimizersTest::quadratic, 6);
    double w = 3;
    double a = 0;
    for (float[] got : t) {
      a = 0.8 * a + 2 * (w - 1);
      w -= 0.05 * a;
      assertEquals(w, got[0], 1e-5);
    }
  }

  @Test
  void rmsPropDividesByTheRunningRootMeanSquare() {
    List<float[]> t = run(OptimizerConfig.adam().withKind(OptimizerConfig.Kind.RMSPROP).withLearningRate(0.01f),
        new float[] {3f}, OptimizersTest::quadratic, 6);
    double w = 3;
    double ms = 0;
    for (float[] got : t) {
      double g = 2 * (w - 1);
      ms = 0.9 * ms + 0.1 * g * g;
      w -= 0.01 * g / Math.sqrt(ms + 1e-8);
      assertEquals(w, got[0], 1e-4);
    }
  }

  private static float[] clippedNormAndValues(List<float[]> grads, float value, float norm) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> in = new ArrayList<>();
      for (float[] v : grads) {
        in.add(tf.constant(v));
      }
      Clipping.Clipped c = Clipping.apply(tf, in, value, norm);
      try (Session s = new Session(g)) {
        Session.Runner r = s.runner().fetch(c.globalNorm());
        c.gradients().forEach(r::fetch);
        try (Result out = r.run()) {
          List<Float> all = new ArrayList<>();
          all.add(Tensors.scalar(out.get(0)));
          for (int i = 1; i < out.size(); i++) {
            for (float f : Tensors.toFloats(out.get(i))) {
              all.add(f);
            }
          }
          float[] flat = new float[all.size()];
          for (int i = 0; i < flat.length; i++) {
            flat[i] = all.get(i);
          }
          return flat;
        }
      }
    }
  }

  @Test
  void clipNormBoundsTheGlobalNormAndKeepsTheDirection() {
    // global norm of (3, 4, 12) = 13
    float[] out = clippedNormAndValues(List.of(new float[] {3f, 4f}, new float[] {12f}), 0f, 6.5f);
    assertEquals(6.5f, out[0], 1e-5);
    assertEquals(1.5f, out[1], 1e-5);
    assertEquals(2f, out[2], 1e-5);
    assertEquals(6f, out[3], 1e-5);
    // under the bound nothing changes
    float[] small = clippedNormAndValues(List.of(new float[] {3f, 4f}), 0f, 10f);
    assertEquals(5f, small[0], 1e-5);
    assertEquals(3f, small[1], 1e-6);
  }

  @Test
  void clipValueBoundsEveryElementBeforeTheNorm() {
    float[] out = clippedNormAndValues(List.of(new float[] {-9f, 0.5f, 2f}), 1f, 0f);
    assertEquals(-1f, out[1]);
    assertEquals(0.5f, out[2]);
    assertEquals(1f, out[3]);
    float[] both = clippedNormAndValues(List.of(new float[] {-9f, 9f, 9f, 9f}), 2f, 1f);
    assertEquals(1f, both[0], 1e-5);
    for (int i = 1; i < both.length; i++) {
      assertTrue(Math.abs(Math.abs(both[i]) - 0.5f) < 1e-5, "each element 2 / norm 4 = 0.5");
    }
  }
}
