package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
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

/** The first Adam steps against the closed-form update of Kingma and Ba (Algorithm 1). */
class AdamTest {
  /** Reference Adam in double precision. */
  static final class ReferenceAdam {
    final double lr;
    final double b1;
    final double b2;
    final double eps;
    final double[] m;
    final double[] v;
    int t;

    ReferenceAdam(int n, double lr, double b1, double b2, double eps) {
      this.lr = lr;
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
      m = new double[n];
      v = new double[n];
    }

    void step(double[] w, double[] g) {
      t++;
      // TF's ApplyAdam form: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); w -= lr_t m / (sqrt(v) + eps)
      double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < w.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
      }
    }
  }

  /** Runs Adam on loss(w) built by {@code loss}; returns w after each of {@code steps} steps. */
  private static List<float[]> run(float[] start, java.util.function.BiFunction<Ops, Operand<TFloat32>,
      Operand<TFloat32>> loss, float lr, int steps) {
    return run(start, loss, lr, steps, p -> new Adam(p, 0.9f, 0.999f, 1e-8f));
  }

  /** The same with any optimizer. */
  static List<float[]> run(float[] start, java.util.function.BiFunction<Ops, Operand<TFloat32>,
      Operand<TFloat32>> loss, float lr, int steps, java.util.function.Function<Parameters, GraphOptimizer> make) {
    List<float[]> trajectory = new ArrayList<>();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters p = new Parameters(tf, 1);
      Variable<TFloat32> w = p.get("w", Shape.of(start.length), new Parameters.Constant(0f), true);
      Operand<TFloat32> l = loss.apply(tf, w);
      List<Operand<TFloat32>> grads = GraphOptimizer.gradients(g, l, List.of(w));
      GraphOptimizer adam = make.apply(p);
      Op update = adam.minimize(List.of(w), grads, List.of(), "update");
      try (Session s = new Session(g, false, null)) {
        Session.Runner r = s.runner();
        p.initializers().forEach(r::addTarget);
        r.run().close();
        s.runner().addTarget(tf.assign(w, tf.constant(start))).run().close();
        for (int step = 1; step <= steps; step++) {
          Session.Runner runner = s.runner().addTarget(update);
          List<Tensor> fed = adam.feed(runner, step, lr);
          runner.run().close();
          fed.forEach(Tensor::close);
          try (Result out = s.runner().fetch(w).run()) {
            trajectory.add(Tensors.toFloats(out.get(0)));
          }
        }
      }
    }
    return trajectory;
  }

  @Test
  void firstStepMovesEachWeightByTheLearningRate() {
    // gradient 1 everywhere: the bias-corrected first step is exactly -lr (up to epsilon)
    List<float[]> t = run(new float[] {0f, 5f}, (tf, w) -> tf.sum(w, tf.constant(0)), 0.1f, 1);
    assertEquals(-0.1f, t.get(0)[0], 1e-6);
    assertEquals(4.9f, t.get(0)[1], 1e-6);
  }

  @Test
  void linearLossFollowsTheClosedFormForTenSteps() {
    float[] c = {1f, -2f, 0.5f};
    List<float[]> t = run(new float[] {0.3f, -0.1f, 2f},
        (tf, w) -> tf.sum(tf.math.mul(w, tf.constant(c)), tf.constant(0)), 0.01f, 10);
    ReferenceAdam ref = new ReferenceAdam(3, 0.01, 0.9, 0.999, 1e-8);
    double[] w = {0.3, -0.1, 2};
    for (float[] got : t) {
      ref.step(w, new double[] {1, -2, 0.5});
      for (int i = 0; i < 3; i++) {
        assertEquals(w[i], got[i], 1e-5, "step " + ref.t + " weight " + i);
      }
    }
  }

  @Test
  void quadraticLossFollowsTheClosedFormAsGradientsChange() {
    float[] target = {1f, -3f};
    List<float[]> t = run(new float[] {0f, 0f},
        (tf, w) -> tf.sum(tf.math.square(tf.math.sub(w, tf.constant(target))), tf.constant(0)), 0.5f, 8);
    ReferenceAdam ref = new ReferenceAdam(2, 0.5, 0.9, 0.999, 1e-8);
    double[] w = {0, 0};
    for (float[] got : t) {
      ref.step(w, new double[] {2 * (w[0] - 1), 2 * (w[1] + 3)});
      assertEquals(w[0], got[0], 1e-4, "step " + ref.t);
      assertEquals(w[1], got[1], 1e-4, "step " + ref.t);
    }
  }

  @Test
  void adaMaxFollowsItsClosedFormAsGradientsChange() {
    float[] target = {1f, -3f};
    List<float[]> t = run(new float[] {0f, 0f},
        (tf, w) -> tf.sum(tf.math.square(tf.math.sub(w, tf.constant(target))), tf.constant(0)), 0.1f, 8,
        p -> new AdaMax(p, 0.9f, 0.999f, 1e-8f));
    // Kingma and Ba, Algorithm 2, in double precision
    double[] w = {0, 0};
    double[] m = new double[2];
    double[] u = new double[2];
    for (int step = 1; step <= t.size(); step++) {
      double[] g = {2 * (w[0] - 1), 2 * (w[1] + 3)};
      for (int i = 0; i < 2; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        u[i] = Math.max(0.999 * u[i], Math.abs(g[i]));
        w[i] -= 0.1 / (1 - Math.pow(0.9, step)) * m[i] / (u[i] + 1e-8);
      }
      assertEquals(w[0], t.get(step - 1)[0], 1e-5, "step " + step);
      assertEquals(w[1], t.get(step - 1)[1], 1e-5, "step " + step);
    }
    // the first step moves each weight by the learning rate, whatever the gradient's size
    assertEquals(0.1, t.get(0)[0], 1e-6);
    assertEquals(-0.1, t.get(0)[1], 1e-6);
  }
}
