package org.vae4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.vae4j.VaeException;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.spec.ConvStack;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.VaeSpec;

class LayersTest {
  private static void init(Session s, Parameters p) {
    Session.Runner r = s.runner();
    p.initializers().forEach(r::addTarget);
    r.run().close();
  }

  @Test
  void convNetworkShapesFollowTheDesign() {
    for (ImageShape image : List.of(new ImageShape(28, 28, 1), new ImageShape(32, 32, 3))) {
      VaeSpec spec = VaeSpec.conv(image, 5);
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        Parameters p = new Parameters(tf, 1);
        Layers l = new Layers(p, Layers.Path.INFERENCE);
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, image.height(), image.width(), image.channels())));
        Posterior q = VaeNetwork.encode(l, x, spec);
        Operand<TFloat32> logits = VaeNetwork.output(l, q.mean(), spec);
        int flat = (image.height() / 4) * (image.width() / 4) * 128;
        assertEquals(Shape.of(4, 4, image.channels(), 64), p.shape("encoder.conv1.kernel"));
        assertEquals(Shape.of(4, 4, 64, 128), p.shape("encoder.conv2.kernel"));
        assertEquals(Shape.of(flat, 1024), p.shape("encoder.dense1.kernel"));
        assertEquals(Shape.of(1024, 10), p.shape("encoder.head.kernel"));
        assertEquals(Shape.of(1024, flat), p.shape("decoder.dense2.kernel"));
        assertEquals(Shape.of(4, 4, image.channels(), 64), p.shape("decoder.deconv2.kernel"));
        try (Session s = new Session(g, false, null)) {
          init(s, p);
          try (TFloat32 in = Tensors.floats(new float[3 * image.size()], 3, image.height(), image.width(),
                  image.channels());
              Result r = s.runner().feed(x, in).fetch(q.mean()).fetch(q.stddev()).fetch(logits).run()) {
            assertEquals(Shape.of(3, 5), r.get(0).shape());
            assertEquals(Shape.of(3, 5), r.get(1).shape());
            assertEquals(Shape.of(3, image.height(), image.width(), image.channels()), r.get(2).shape());
            for (float sd : Tensors.toFloats(r.get(1))) {
              assertTrue(sd > 0, "softplus stddev is positive");
            }
          }
        }
      }
    }
  }

  @Test
  void convArchitectureRejectsSidesTheStackCannotHalve() {
    // 30 x 28 halves once evenly: its default stack has one level
    assertEquals(1, VaeSpec.conv(new ImageShape(30, 28, 1), 2).convStack().levels());
    VaeException e = assertThrows(VaeException.class, () -> VaeSpec.conv(new ImageShape(30, 28, 1), 2)
        .withConvStack(ConvStack.SEED));
    assertEquals("a conv stack of 2 levels needs image sides divisible by 4, got 30x28x1; give fewer levels in"
        + " convChannels, or images of another size", e.getMessage());
    assertThrows(VaeException.class, () -> VaeSpec.conv(new ImageShape(29, 28, 1), 2));
  }

  @Test
  void latentSizeIsChecked() {
    assertThrows(VaeException.class, () -> VaeSpec.conv(new ImageShape(28, 28, 1), 0));
  }

  @Test
  void batchNormUsesBatchStatisticsInTrainingAndMovingAveragesAtInference() {
    float[] x = {1f, 10f, 2f, 20f, 3f, 30f, 6f, 60f}; // 4 rows, 2 channels
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters p = new Parameters(tf, 1);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      Layers train = new Layers(p, Layers.Path.TRAINING);
      Operand<TFloat32> yTrain = train.batchNorm("bn", in);
      Operand<TFloat32> yInfer = new Layers(p, Layers.Path.INFERENCE).batchNorm("bn", in);
      try (Session s = new Session(g, false, null); TFloat32 t = Tensors.floats(x, 4, 2)) {
        init(s, p);
        float[] y;
        try (Result r = s.runner().feed(in, t).fetch(yTrain).run()) {
          y = Tensors.toFloats(r.get(0));
        }
        double[] mean = {3, 30};
        double[] biasedVar = {(4 + 1 + 0 + 9) / 4.0, (400 + 100 + 0 + 900) / 4.0};
        for (int i = 0; i < 4; i++) {
          for (int c = 0; c < 2; c++) {
            double want = (x[2 * i + c] - mean[c]) / Math.sqrt(biasedVar[c] + Layers.BN_EPSILON);
            assertEquals(want, y[2 * i + c], 1e-4);
          }
        }
        Session.Runner update = s.runner().feed(in, t);
        for (Op op : train.statisticUpdates()) {
          update.addTarget(op);
        }
        update.run().close();
        float m = Layers.BN_MOMENTUM;
        double[] movingMean = {(1 - m) * mean[0], (1 - m) * mean[1]};
        // the moving variance follows the unbiased batch variance, n / (n - 1) times the biased one
        double[] movingVar = {m + (1 - m) * biasedVar[0] * 4 / 3, m + (1 - m) * biasedVar[1] * 4 / 3};
        try (Result r = s.runner().fetch(p.all().get("bn.moving_mean")).fetch(p.all().get("bn.moving_variance"))
            .feed(in, t).fetch(yInfer).run()) {
          float[] mm = Tensors.toFloats(r.get(0));
          float[] mv = Tensors.toFloats(r.get(1));
          float[] yi = Tensors.toFloats(r.get(2));
          for (int c = 0; c < 2; c++) {
            assertEquals(movingMean[c], mm[c], 1e-4);
            assertEquals(movingVar[c], mv[c], 1e-3);
          }
          for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 2; c++) {
              double want = (x[2 * i + c] - movingMean[c]) / Math.sqrt(movingVar[c] + Layers.BN_EPSILON);
              assertEquals(want, yi[2 * i + c], 1e-3 * Math.max(1, Math.abs(want)));
            }
          }
        }
      }
    }
  }

  @Test
  void glorotInitializationIsBoundedDistinctAndSeeded() {
    float[][] first = initialWeights(7);
    float[][] again = initialWeights(7);
    float[][] other = initialWeights(8);
    double limit = Math.sqrt(6.0 / (50 + 40));
    for (float v : first[0]) {
      assertTrue(Math.abs(v) <= limit, "within the Glorot limit");
    }
    assertFalse(Arrays.equals(first[0], first[1]), "same-shaped variables start different");
    assertArrayEquals(first[0], again[0]);
    assertArrayEquals(first[1], again[1]);
    assertFalse(Arrays.equals(first[0], other[0]), "another seed gives other weights");
    double mean = 0;
    for (float v : first[0]) {
      mean += v;
    }
    assertEquals(0, mean / first[0].length, 0.02);
  }

  private static float[][] initialWeights(long seed) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters p = new Parameters(tf, seed);
      var a = p.get("a", Shape.of(50, 40), new Parameters.GlorotUniform(50, 40), true);
      var b = p.get("b", Shape.of(50, 40), new Parameters.GlorotUniform(50, 40), true);
      try (Session s = new Session(g, false, null)) {
        init(s, p);
        try (Result r = s.runner().fetch(a).fetch(b).run()) {
          return new float[][] {Tensors.toFloats(r.get(0)), Tensors.toFloats(r.get(1))};
        }
      }
    }
  }

  @Test
  void variablesAreSharedByNameAndShapeClashesFail() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters p = new Parameters(tf, 1);
      var a = p.get("w", Shape.of(2), new Parameters.Constant(0), true);
      assertTrue(a == p.get("w", Shape.of(2), new Parameters.Constant(0), true));
      assertThrows(IllegalStateException.class, () -> p.get("w", Shape.of(3), new Parameters.Constant(0), true));
      assertEquals(2, p.trainableCount());
    }
  }
}
