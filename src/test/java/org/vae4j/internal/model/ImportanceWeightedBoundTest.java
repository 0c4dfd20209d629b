package org.vae4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.VaeSpec;

/** The importance-weighted bound (IWAE) against the ELBO on a small random MLP VAE, over many noise draws. */
class ImportanceWeightedBoundTest {
  private static final int IMAGES = 4;
  private static final int Z = 2;
  private static final VaeSpec SPEC = VaeSpec.mlp(new ImageShape(4, 4, 1), Z, 8);

  /** Per image and draw: {elbo, bound} for {@code draws} independent noise tensors of {@code k} samples. */
  private static double[][][] draws(int k, int draws) {
    float[] pixels = new float[IMAGES * 16];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextDouble() < 0.4 ? 1f : 0f;
    }
    double[][][] out = new double[draws][IMAGES][2];
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters p = new Parameters(tf, 5);
      Layers layers = new Layers(p, Layers.Path.INFERENCE);
      Operand<TFloat32> images = tf.constant(Shape.of(IMAGES, 4, 4, 1),
          org.tensorflow.ndarray.buffer.DataBuffers.of(pixels));
      Placeholder<TFloat32> eps = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(IMAGES, k, Z)));
      Objective.Terms terms = Objective.terms(layers, SPEC, images, eps);
      Operand<TFloat32> elbo = tf.math.sub(terms.reconstruction(), terms.kl());
      Operand<TFloat32> bound = Objective.importanceWeightedBound(tf, terms, eps);
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        p.initializers().forEach(init::addTarget);
        init.run().close();
        SplittableRandom noise = new SplittableRandom(11);
        for (int d = 0; d < draws; d++) {
          float[] e = new float[IMAGES * k * Z];
          for (int i = 0; i < e.length; i++) {
            e[i] = (float) noise.nextGaussian();
          }
          try (TFloat32 fed = Tensors.floats(e, IMAGES, k, Z);
              Result r = s.runner().feed(eps, fed).fetch(elbo).fetch(bound).run()) {
            float[] a = Tensors.toFloats(r.get(0));
            float[] b = Tensors.toFloats(r.get(1));
            for (int n = 0; n < IMAGES; n++) {
              out[d][n][0] = a[n];
              out[d][n][1] = b[n];
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void withOneSampleTheBoundIsTheElboInExpectation() {
    // per draw they differ by the KL's sampling (log q - log p at z against its closed form), whose mean is zero
    double[][][] d = draws(1, 4000);
    for (int n = 0; n < IMAGES; n++) {
      double sum = 0;
      double squares = 0;
      for (double[][] draw : d) {
        double diff = draw[n][1] - draw[n][0];
        sum += diff;
        squares += diff * diff;
      }
      double mean = sum / d.length;
      double stdError = Math.sqrt((squares / d.length - mean * mean) / d.length);
      assertEquals(0, mean, 4 * stdError + 1e-4, "image " + n + ": IWAE(K = 1) - ELBO");
    }
  }

  @Test
  void moreSamplesGiveAHigherBoundThanTheElbo() {
    double[][][] one = draws(1, 2000);
    double[][][] five = draws(5, 2000);
    for (int n = 0; n < IMAGES; n++) {
      double elbo = 0;
      double iwae = 0;
      for (int d = 0; d < one.length; d++) {
        elbo += one[d][n][0] / one.length;
        iwae += five[d][n][1] / five.length;
      }
      assertTrue(iwae > elbo, "image " + n + ": IWAE(K = 5) " + iwae + " above the ELBO " + elbo);
    }
  }
}
