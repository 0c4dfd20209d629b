package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.vae4j.contract.ModelCard;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.export.SavedModelExport;
import org.vae4j.internal.model.Layers;
import org.vae4j.internal.model.Parameters;
import org.vae4j.internal.model.PixelLikelihood;
import org.vae4j.internal.model.Posterior;
import org.vae4j.internal.model.VaeNetwork;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.serve.Vae;
import org.vae4j.spec.Device;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.Evaluation;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/**
 * The ELBO is a lower bound on log p(x). With one pixel and a one-dimensional latent, log p(x) =
 * log of the integral of p(x|z) N(z; 0, 1) dz, and the ELBO's expectation under q(z|x), can both be computed by
 * quadrature from the trained decoder and encoder; the bound must hold, and the exported score must agree.
 */
class ElboBoundTest {
  private static final int GRID = 4001;
  private static final double Z_MAX = 9;

  @TempDir
  Path dir;

  /** Bimodal one-pixel data near 0.25 and 0.75 (binary for the Bernoulli case). */
  private static ImageSet data(int n, long seed, boolean binary) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] pixels = new byte[n];
    for (int i = 0; i < n; i++) {
      double v = binary ? (r.nextDouble() < 0.3 ? 1 : 0) : (r.nextBoolean() ? 0.25 : 0.75) + 0.05 * r.nextGaussian();
      pixels[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, v)));
    }
    return new ImageSet(pixels, null, n, 1, 1, 1);
  }

  @ParameterizedTest
  @EnumSource(value = Likelihood.class, names = {"GAUSSIAN_LEARNED", "GAUSSIAN", "BERNOULLI"})
  void theElboBoundsTheLogLikelihoodComputedByQuadrature(Likelihood likelihood) throws IOException {
    boolean binary = likelihood == Likelihood.BERNOULLI;
    ImageSet train = data(400, 1, binary);
    ImageSet test = data(60, 2, binary);
    VaeSpec spec = VaeSpec.mlp(new ImageShape(1, 1, 1), 1, 16).withLikelihood(likelihood, 0.1f);
    TrainConfig config = TrainConfig.defaults().withBatchSize(50).withEpochs(40).withLearningRate(0.01f);
    Path checkpoint;
    Evaluation trained;
    try (TrainingSession s = TrainingSession.create(spec, config, org.vae4j.internal.tf.Sessions.cpu())) {
      EpochStats last = null;
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        last = Epochs.train(s, train, epoch, test, TrainingListener.SILENT);
      }
      trained = last.test();
      checkpoint = s.saveCheckpoint(dir.resolve("ckpt"));
    }
    float[][] xs = test.images(0, test.count());
    double[][] exact = quadrature(spec, checkpoint, xs);
    double meanLogP = 0;
    double meanElbo = 0;
    for (int i = 0; i < xs.length; i++) {
      double logP = exact[i][0];
      double elbo = exact[i][1];
      assertTrue(elbo <= logP + 1e-3, "ELBO " + elbo + " above log p(x) " + logP + " for x = " + xs[i][0]);
      meanLogP += logP / xs.length;
      meanElbo += elbo / xs.length;
    }
    // the one-sample test ELBO of training estimates the same mean bound
    assertEquals(meanElbo, trained.elbo(), 0.15 * Math.abs(meanElbo) + 0.3);
    assertTrue(meanElbo <= meanLogP);

    // the exported score is the ELBO (averaged over its fixed noise draws) of the same model
    ModelCard card = SavedModelExport.card(spec, "synthetic", 0, config.toMap(), Map.of());
    Path model = SavedModelExport.export(spec, checkpoint, card, dir.resolve("model"), 1, org.vae4j.internal.tf.Sessions.cpu());
    try (Vae vae = Vae.load(model)) {
      float[] scores = vae.likelihood().orElseThrow().score(xs).elbo();
      double meanScore = 0;
      for (float f : scores) {
        meanScore += f / scores.length;
      }
      assertEquals(meanElbo, meanScore, 0.1 * Math.abs(meanElbo) + 0.2);
    }
  }

  /**
   * For each x: [log p(x), ELBO(x)], by quadrature over a z grid. log p(x|z) comes from the trained decoder in a
   * graph restored from the checkpoint, q(z|x) from the trained encoder.
   */
  private static double[][] quadrature(VaeSpec spec, Path checkpoint, float[][] xs) {
    double dz = 2 * Z_MAX / (GRID - 1);
    float[] grid = new float[GRID];
    for (int m = 0; m < GRID; m++) {
      grid[m] = (float) (-Z_MAX + m * dz);
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Layers layers = new Layers(Parameters.restoredOnly(tf), Layers.Path.INFERENCE);
      Placeholder<TFloat32> z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, 1, 1)));
      Operand<TFloat32> logLik = PixelLikelihood.reconstruction(tf, spec, VaeNetwork.output(layers, z, spec), x);
      Posterior q = VaeNetwork.encode(layers, x, spec);
      double[][] out = new double[xs.length][2];
      try (Session s = new Session(g)) {
        s.restore(checkpoint.toString());
        // the bound means something only if p(x|z) is a normalized distribution over x: check it at a few z
        for (float zValue : new float[] {-2f, 0f, 1.5f}) {
          assertEquals(1.0, totalProbability(s, z, x, logLik, zValue, spec.likelihood()), 2e-3,
              spec.likelihood() + " p(x|z) integrates to 1 at z = " + zValue);
        }
        for (int i = 0; i < xs.length; i++) {
          float mean;
          float stddev;
          try (TFloat32 x1 = Tensors.floats(new float[] {xs[i][0]}, 1, 1, 1, 1);
              Result e = s.runner().feed(x, x1).fetch(q.mean()).fetch(q.stddev()).run()) {
            mean = Tensors.toFloats(e.get(0))[0];
            stddev = Tensors.toFloats(e.get(1))[0];
          }
          // log p(x) over a fixed grid under the prior
          float[] ll = logLikelihoods(s, z, x, logLik, grid, xs[i][0]);
          double max = Double.NEGATIVE_INFINITY;
          double[] logJoint = new double[GRID];
          for (int m = 0; m < GRID; m++) {
            logJoint[m] = ll[m] - 0.5 * grid[m] * grid[m] - 0.5 * Math.log(2 * Math.PI) + Math.log(dz);
            max = Math.max(max, logJoint[m]);
          }
          double sum = 0;
          for (int m = 0; m < GRID; m++) {
            sum += Math.exp(logJoint[m] - max);
          }
          // E_q[log p(x|z)] over a grid laid on q itself: z = mean + stddev * u, u in [-Z_MAX, Z_MAX]
          float[] qGrid = new float[GRID];
          for (int m = 0; m < GRID; m++) {
            qGrid[m] = mean + stddev * grid[m];
          }
          float[] llq = logLikelihoods(s, z, x, logLik, qGrid, xs[i][0]);
          double expected = 0;
          for (int m = 0; m < GRID; m++) {
            expected += Math.exp(-0.5 * grid[m] * grid[m]) / Math.sqrt(2 * Math.PI) * dz * llq[m];
          }
          double kl = 0.5 * (mean * mean + stddev * stddev - 2 * Math.log(stddev) - 1);
          out[i][0] = max + Math.log(sum);
          out[i][1] = expected - kl;
        }
      }
      return out;
    }
  }

  /**
   * The integral of p(x|z) over x at one z: a sum over x in {0, 1} for the Bernoulli decoder, a fine midpoint
   * rule over [-3, 4] for the Gaussians (their means lie in [0, 1] and their stddevs below 0.5 here).
   */
  private static double totalProbability(Session s, Placeholder<TFloat32> z, Placeholder<TFloat32> x,
      Operand<TFloat32> logLik, float zValue, Likelihood likelihood) {
    float[] points;
    double width;
    if (likelihood == Likelihood.BERNOULLI) {
      points = new float[] {0f, 1f};
      width = 1;
    } else {
      int n = 70_000;
      width = 7.0 / n;
      points = new float[n];
      for (int i = 0; i < n; i++) {
        points[i] = (float) (-3 + (i + 0.5) * width);
      }
    }
    float[] zs = new float[points.length];
    java.util.Arrays.fill(zs, zValue);
    try (TFloat32 zt = Tensors.floats(zs, zs.length, 1);
        TFloat32 xt = Tensors.floats(points, points.length, 1, 1, 1);
        Result r = s.runner().feed(z, zt).feed(x, xt).fetch(logLik).run()) {
      double total = 0;
      for (float ll : Tensors.toFloats(r.get(0))) {
        total += Math.exp(ll) * width;
      }
      return total;
    }
  }

  /** log p(x|z) of one pixel value x at every z of {@code zs}. */
  private static float[] logLikelihoods(Session s, Placeholder<TFloat32> z, Placeholder<TFloat32> x,
      Operand<TFloat32> logLik, float[] zs, float value) {
    float[] tiled = new float[zs.length];
    java.util.Arrays.fill(tiled, value);
    try (TFloat32 zt = Tensors.floats(zs, zs.length, 1);
        TFloat32 xt = Tensors.floats(tiled, zs.length, 1, 1, 1);
        Result r = s.runner().feed(z, zt).feed(x, xt).fetch(logLik).run()) {
      return Tensors.toFloats(r.get(0));
    }
  }
}
