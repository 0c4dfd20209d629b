package org.vae4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.data.ImageSet;
import org.vae4j.data.Shuffle;
import org.vae4j.model.VaeSpec;
import org.vae4j.tf.Tensors;
import org.vae4j.util.Files2;

/**
 * A VAE being trained: its graph, its session and its step count. Not thread-safe; one trainer drives it.
 *
 * <p>Noise is drawn by stateless ops from the seed pair (config seed, step), data order from (config seed, epoch)
 * and initial weights from (config seed, variable name): a run with the same seed and data repeats itself.
 */
public final class TrainingSession implements AutoCloseable {
  /** Images per evaluation batch; large batches amortize the per-run overhead. */
  static final int EVAL_BATCH = 500;
  /** Mixed into the seed for evaluation noise, so it never repeats a training step's noise. */
  private static final long EVAL_STREAM = 0x6576_616cL;
  /**
   * Largest model accepted: 500 million parameters (2 GB of weights, 6 GB with Adam's slots). The conv model's
   * dense layers grow with the image area, so a typo in an image size would otherwise ask for terabytes.
   */
  static final long MAX_PARAMETERS = 500_000_000L;
  /** Name of the variables file prefix inside a checkpoint folder. */
  public static final String CHECKPOINT_PREFIX = "variables";

  private final VaeSpec spec;
  private final TrainConfig config;
  private final Graph graph;
  private final Session session;
  private final TrainingGraph g;
  private long step;

  private TrainingSession(VaeSpec spec, TrainConfig config, ConfigProto sessionConfig) {
    this.spec = spec;
    this.config = config;
    graph = new Graph();
    Session opened = null;
    try {
      g = new TrainingGraph(graph, spec, config);
      long parameters = g.parameters.trainableCount();
      if (parameters > MAX_PARAMETERS) {
        throw new VaeException(String.format("a %s VAE for %s images would have %,d parameters (%.1f GB);"
            + " vae4j trains models up to %,d parameters: use smaller images", spec.architecture().label(),
            spec.image(), parameters, parameters * 4 / 1e9, MAX_PARAMETERS));
      }
      opened = new Session(graph, false, withoutRemapper(sessionConfig));
      Session.Runner init = opened.runner();
      for (Op op : g.parameters.initializers()) {
        init.addTarget(op);
      }
      init.run().close();
    } catch (RuntimeException e) {
      // the session holds a reference to the graph: Graph.close() would wait for it forever
      if (opened != null) {
        opened.close();
      }
      graph.close();
      throw e;
    }
    session = opened;
  }

  /**
   * Grappler's remapper tries to fuse conv + bias + activation, then fails on the gradient graph ("fanout exists
   * for missing node") and logs an error on every new graph; measured: the same losses to the last bit and a few
   * percent faster with it off.
   */
  private static ConfigProto withoutRemapper(ConfigProto config) {
    return config.toBuilder().setGraphOptions(config.getGraphOptions().toBuilder().setRewriteOptions(
        config.getGraphOptions().getRewriteOptions().toBuilder().setRemapping(RewriterConfig.Toggle.OFF))).build();
  }

  /** Builds the graph and gives every variable its initial value. */
  public static TrainingSession create(VaeSpec spec, TrainConfig config, ConfigProto sessionConfig) {
    return new TrainingSession(spec, config, sessionConfig);
  }

  public VaeSpec spec() {
    return spec;
  }

  public TrainConfig config() {
    return config;
  }

  /** Updates applied so far. */
  public long step() {
    return step;
  }

  public long parameterCount() {
    return g.parameters.trainableCount();
  }

  /** Floating-point operations of one image's forward pass (matrix multiplies and convolutions). */
  public long forwardFlopsPerImage() {
    return g.forwardFlopsPerImage;
  }

  /** Loss terms of one step, averaged over its batch. */
  public record StepResult(double loss, double reconstructionLogLikelihood, double kl) {}

  /**
   * One Adam step on {@code n} images held in {@code pixels} (n x H x W x C floats in [0, 1]).
   *
   * @throws VaeException when the loss is not finite (the weights are then already changed)
   */
  public StepResult trainStep(float[] pixels, int n) {
    var s = spec.image();
    float[] values = pixels.length == (long) n * s.size() ? pixels : Arrays.copyOf(pixels, n * s.size());
    List<Tensor> owned = new ArrayList<>();
    try {
      TFloat32 batch = Tensors.floats(values, n, s.height(), s.width(), s.channels());
      owned.add(batch);
      TInt64 seed = TInt64.vectorOf(config.seed(), step + 1);
      owned.add(seed);
      Session.Runner runner = session.runner().feed(g.images, batch).feed(g.noiseSeed, seed)
          .addTarget(g.trainStep).fetch(g.loss).fetch(g.reconstruction).fetch(g.kl);
      owned.addAll(g.adam.feed(runner, step + 1, config.learningRate()));
      try (Result r = runner.run()) {
        step++;
        StepResult out = new StepResult(Tensors.scalar(r.get(0)), Tensors.scalar(r.get(1)),
            Tensors.scalar(r.get(2)));
        if (!Double.isFinite(out.loss())) {
          throw new VaeException("the loss became " + out.loss() + " at step " + step
              + "; try a smaller --learning-rate");
        }
        return out;
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /**
   * One pass over {@code train} in the epoch's shuffled order. A last batch of a single image is left out (batch
   * norm cannot normalize one image by its own statistics).
   */
  public EpochStats trainEpoch(ImageSet train, int epoch, ImageSet test, TrainingListener listener) {
    int size = spec.image().size();
    int batchSize = config.batchSize();
    int[] order = Shuffle.order(train.count(), config.seed(), epoch);
    int batches = (train.count() + batchSize - 1) / batchSize;
    float[] buffer = new float[batchSize * size];
    double lossSum = 0;
    double recSum = 0;
    double klSum = 0;
    int seen = 0;
    long start = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      int n = Math.min(batchSize, train.count() - b * batchSize);
      if (n < 2) {
        continue;
      }
      train.copyImages(order, b * batchSize, n, buffer);
      StepResult r = trainStep(buffer, n);
      lossSum += r.loss() * n;
      recSum += r.reconstructionLogLikelihood() * n;
      klSum += r.kl() * n;
      seen += n;
      listener.batchDone(epoch, b + 1, batches, r.loss(), (System.nanoTime() - start) / 1e9);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Evaluation trainMeans = new Evaluation(-lossSum / seen, recSum / seen, klSum / seen, seen);
    Evaluation testMeans = evaluate(test, epoch);
    EpochStats stats = new EpochStats(epoch, trainMeans, testMeans, seen / seconds, seconds);
    listener.epochDone(stats);
    return stats;
  }

  /**
   * The ELBO of {@code images} on the inference path with one sampled z per image (a true lower bound, unlike
   * decoding the mean). {@code stream} selects the noise; the same stream gives the same figures.
   */
  public Evaluation evaluate(ImageSet images, long stream) {
    var s = spec.image();
    int[] order = Shuffle.identity(images.count());
    float[] buffer = new float[EVAL_BATCH * s.size()];
    double rec = 0;
    double kl = 0;
    for (int from = 0, b = 0; from < images.count(); from += EVAL_BATCH, b++) {
      int n = Math.min(EVAL_BATCH, images.count() - from);
      images.copyImages(order, from, n, buffer);
      float[] values = n == EVAL_BATCH ? buffer : Arrays.copyOf(buffer, n * s.size());
      try (TFloat32 batch = Tensors.floats(values, n, s.height(), s.width(), s.channels());
          TInt64 seed = TInt64.vectorOf(config.seed() ^ EVAL_STREAM, stream * 1_000_003L + b);
          Result r = session.runner().feed(g.images, batch).feed(g.noiseSeed, seed)
              .fetch(g.evalReconstructionSum).fetch(g.evalKlSum).run()) {
        rec += Tensors.scalar(r.get(0));
        kl += Tensors.scalar(r.get(1));
      }
    }
    int count = images.count();
    return new Evaluation((rec - kl) / count, rec / count, kl / count, count);
  }

  /** Encoder mean and stddev on the inference path: [0] is the mean rows, [1] the stddev rows. */
  public float[][][] encode(float[][] images) {
    var s = spec.image();
    try (TFloat32 batch = Tensors.rows(images, s.height(), s.width(), s.channels());
        Result r = session.runner().feed(g.images, batch).fetch(g.evalPosterior.mean())
            .fetch(g.evalPosterior.stddev()).run()) {
      return new float[][][] {Tensors.toRows(r.get(0)), Tensors.toRows(r.get(1))};
    }
  }

  /** Decoder means at z = encoder mean, on the inference path. */
  public float[][] reconstruct(float[][] images) {
    var s = spec.image();
    try (TFloat32 batch = Tensors.rows(images, s.height(), s.width(), s.channels());
        Result r = session.runner().feed(g.images, batch).fetch(g.evalReconstruction).run()) {
      return Tensors.toRows(r.get(0));
    }
  }

  /**
   * Writes every variable (weights, batch-norm statistics, Adam slots) to {@code dir}, replacing what was there
   * only once the new checkpoint is complete. Returns the prefix to restore from.
   */
  public Path saveCheckpoint(Path dir) {
    Path tmp = Files2.siblingTemp(dir);
    try {
      Files.createDirectories(tmp);
      session.save(tmp.resolve(CHECKPOINT_PREFIX).toString());
      Files2.replaceDirectory(tmp, dir);
      return dir.resolve(CHECKPOINT_PREFIX);
    } catch (IOException | RuntimeException e) {
      Files2.deleteQuietly(tmp);
      throw new VaeException("cannot write the checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
