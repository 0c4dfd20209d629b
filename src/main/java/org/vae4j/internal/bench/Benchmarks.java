package org.vae4j.internal.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.vae4j.contract.ModelCard;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.export.SavedModelExport;
import org.vae4j.internal.train.StepProfiler;
import org.vae4j.internal.train.TrainingListener;
import org.vae4j.internal.train.TrainingSession;
import org.vae4j.internal.util.Files2;
import org.vae4j.serve.Vae;
import org.vae4j.spec.Device;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/**
 * Throughput measurements on synthetic data: training images/s, inference images/s through the exported model,
 * and the FLOP rate of a training step next to the rate of a large float32 matrix multiply in the same process.
 */
public final class Benchmarks {
  private Benchmarks() {}

  /**
   * What to measure.
   *
   * @param profileSteps traced training steps for the per-op profile (0: no profile)
   * @param binarization how the training batches are binarized (dynamic: a fresh draw per step, as MNIST trains)
   * @param backgroundBatches prepare the next batch on a background thread while a step runs (as training does)
   */
  public record Setup(VaeSpec spec, int batchSize, int warmupSteps, int steps, int matmulSize, double minSeconds,
      org.vae4j.internal.tf.Sessions.Resolved device, int profileSteps, org.vae4j.data.Binarization binarization,
      boolean backgroundBatches) {}

  /**
   * What was measured.
   *
   * @param figures every number by name (what --json writes)
   * @param profile the per-op profile of a training step, null unless asked for
   * @param serving the Vae wrapper's cost over the raw signature, and load times
   */
  public record Results(Map<String, Double> figures, StepProfiler.Profile profile, ServingOverhead serving) {}

  /**
   * Rate of an n x n float32 matrix multiply in GFLOP/s (2 n^3 per product), the best of several timed runs
   * after one warm-up. Inputs live in variables so only the product is timed; the result is reduced to a scalar
   * so fetching it costs nothing.
   */
  public static double matmulGflops(int n, double minSeconds, ConfigProto config) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> a = tf.withName("a").variable(org.tensorflow.ndarray.Shape.of(n, n), TFloat32.class);
      Variable<TFloat32> b = tf.withName("b").variable(org.tensorflow.ndarray.Shape.of(n, n), TFloat32.class);
      Operand<TFloat32> initA = tf.random.statelessRandomUniform(tf.constant(new int[] {n, n}),
          tf.constant(new long[] {1, 2}));
      Operand<TFloat32> initB = tf.random.statelessRandomUniform(tf.constant(new int[] {n, n}),
          tf.constant(new long[] {3, 4}));
      var assignA = tf.assign(a, initA);
      var assignB = tf.assign(b, initB);
      Operand<TFloat32> product = tf.sum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
      try (Session s = new Session(g, false, config)) {
        s.runner().addTarget(assignA).addTarget(assignB).run().close();
        s.runner().fetch(product).run().close();
        double best = Double.MAX_VALUE;
        long start = System.nanoTime();
        int runs = 0;
        while (runs < 3 || (System.nanoTime() - start) / 1e9 < minSeconds) {
          long t0 = System.nanoTime();
          s.runner().fetch(product).run().close();
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
          runs++;
        }
        return 2.0 * n * n * n / best / 1e9;
      }
    }
  }

  /** Runs every measurement; keys are the figures' names, values their numbers. */
  public static Results run(Setup setup) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    ConfigProto config = setup.device().config();
    double matmul = matmulGflops(setup.matmulSize(), setup.minSeconds(), config);
    out.put("matmul_gflops", matmul);

    VaeSpec spec = setup.spec();
    int size = spec.image().size();
    int batch = setup.batchSize();
    byte[] bytes = new byte[(setup.warmupSteps() + setup.steps()) * batch * size];
    new SplittableRandom(7).nextBytes(bytes);
    ImageSet warmup = new ImageSet(java.util.Arrays.copyOf(bytes, setup.warmupSteps() * batch * size), null,
        setup.warmupSteps() * batch, spec.image().height(), spec.image().width(), spec.image().channels());
    ImageSet timed = new ImageSet(java.util.Arrays.copyOfRange(bytes, setup.warmupSteps() * batch * size,
        bytes.length), null, setup.steps() * batch, spec.image().height(), spec.image().width(),
        spec.image().channels());
    float[][] inputs = timed.images(0, batch);
    TrainConfig train = TrainConfig.defaults().withBatchSize(batch).withObjective(TrainConfig.defaults().objective()
        .withBinarization(setup.binarization()));
    Path tmp = Files.createTempDirectory("vae4j-bench");
    try (TrainingSession session = TrainingSession.create(spec, train, config)) {
      session.backgroundBatches(setup.backgroundBatches());
      session.runEpoch(warmup, org.vae4j.internal.train.EpochProgress.start(1), TrainingListener.SILENT, (p, r) -> true);
      long t0 = System.nanoTime();
      session.runEpoch(timed, org.vae4j.internal.train.EpochProgress.start(1), TrainingListener.SILENT, (p, r) -> true);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double imagesPerSecond = (double) setup.steps() * batch / seconds;
      // forward + backward: the backward pass costs about twice the forward (gradients for inputs and weights)
      double trainGflops = 3.0 * session.forwardFlopsPerImage() * imagesPerSecond / 1e9;
      out.put("train_images_per_second", imagesPerSecond);
      out.put("train_step_ms", 1000 * seconds / setup.steps());
      out.put("forward_mflop_per_image", session.forwardFlopsPerImage() / 1e6);
      out.put("train_gflops", trainGflops);
      out.put("train_fraction_of_matmul", trainGflops / matmul);
      StepProfiler.Profile profile = setup.profileSteps() > 0
          ? StepProfiler.profile(session, timed, setup.profileSteps()) : null;

      Path checkpoint = session.saveCheckpoint(tmp.resolve("checkpoint"));
      ModelCard card = SavedModelExport.card(spec, "synthetic", session.parameterCount(), train.toMap(), Map.of());
      Path model = SavedModelExport.export(spec, checkpoint, card, tmp.resolve("savedmodel"), 1, config);
      out.put("parameters", (double) session.parameterCount());
      out.put("export_bytes", (double) Files2.size(model));
      try (Vae vae = Vae.load(model, org.vae4j.serve.VaeOptions.defaults()
          .withDevice(setup.device().gpu() ? Device.GPU : Device.CPU))) {
        for (int n : new int[] {1, 256}) {
          float[][] images = new float[n][];
          for (int i = 0; i < n; i++) {
            images[i] = inputs[i % batch];
          }
          out.put("encode_images_per_second_batch" + n, rate(n, setup.minSeconds(), k -> vae.encode(images)));
          out.put("reconstruct_images_per_second_batch" + n,
              rate(n, setup.minSeconds(), k -> vae.reconstruct(images)));
        }
      }
      ServingOverhead serving = setup.device().gpu() ? null : ServingOverhead.measure(model, setup.minSeconds());
      if (serving != null) {
        out.put("encode_batch1_raw_signature_p50_ms", serving.rawMedianMillis());
        out.put("encode_batch1_vae_p50_ms", serving.vaeMedianMillis());
        out.put("encode_batch1_vae_over_raw", serving.ratio());
        out.put("load_raw_ms", serving.rawLoadMillis());
        out.put("load_vae_ms", serving.vaeLoadMillis());
      }
      out.put("peak_rss_bytes", (double) Machine.peakResidentBytes());
      return new Results(out, profile, serving);
    } finally {
      Files2.deleteQuietly(tmp);
    }
  }

  /** Images per second of a call on {@code n} images, after two warm-up calls, timed for at least minSeconds. */
  static double rate(int n, double minSeconds, IntConsumer call) {
    call.accept(0);
    call.accept(1);
    long start = System.nanoTime();
    int calls = 0;
    while (calls < 5 || (System.nanoTime() - start) / 1e9 < minSeconds) {
      call.accept(calls);
      calls++;
    }
    return (double) calls * n / ((System.nanoTime() - start) / 1e9);
  }
}
