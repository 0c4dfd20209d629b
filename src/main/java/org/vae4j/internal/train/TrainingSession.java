package org.vae4j.internal.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.contract.Given;
import org.vae4j.data.Binarization;
import org.vae4j.data.ImageSet;
import org.vae4j.data.Shuffle;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.internal.util.Files2;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.Evaluation;
import org.vae4j.spec.KlSchedule;
import org.vae4j.spec.LearningRateSchedule;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

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
  /** Name of the variables file prefix inside a checkpoint folder. */
  public static final String CHECKPOINT_PREFIX = "variables";

  private final VaeSpec spec;
  private final TrainConfig config;
  private final Graph graph;
  private final Session session;
  private final TrainingGraph g;
  private final KlSchedule klSchedule;
  /** The evaluation path's calls. */
  private final InferencePath inference;
  private boolean backgroundBatches = true;
  private LearningRateSchedule lrSchedule;
  private long step;

  private TrainingSession(VaeSpec spec, TrainConfig config, ConfigProto sessionConfig) {
    this.spec = spec;
    this.config = config;
    graph = new Graph();
    try {
      g = new TrainingGraph(graph, spec, config);
      g.checkSize();
      // the moving average of the weights starts from their initial values: initialized after them
      session = Sessions.initialized(graph, Sessions.withoutRemapper(sessionConfig), g.weightAverage == null
          ? List.of(g.parameters.initializers()) : List.of(g.parameters.initializers(), List.of(g.weightAverage.init)));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    inference = new InferencePath(session, g, config.seed() ^ EVAL_STREAM);
    klSchedule = config.objective().schedule();
    // exponential and cosine count in epochs: their length is known once the data is (setStepsPerEpoch)
    lrSchedule = config.optimizer().schedule() == LearningRateSchedule.Kind.CONSTANT
        ? config.optimizer().scheduleFor(1, config.epochs()) : null;
  }

  /** Builds the graph and gives every variable its initial value. */
  public static TrainingSession create(VaeSpec spec, TrainConfig config, ConfigProto sessionConfig) {
    return new TrainingSession(spec, config, sessionConfig);
  }

  /** The training graph, for tools that look at its ops (the step profiler). */
  Graph graph() {
    return graph;
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

  /**
   * One step's figures, averaged over its batch.
   *
   * @param loss the weighted training loss
   * @param reconstructionLogLikelihood the reconstruction term (minus the squared error for mse)
   * @param kl the unweighted KL
   * @param klWeight the KL weight the step used
   * @param learningRate the learning rate the step used
   * @param gradientNorm the global norm of the (clipped) gradients
   * @param applied whether the update was made: false when the loss or the gradients were not finite, in which
   *     case no variable changed
   */
  public record StepResult(double loss, double reconstructionLogLikelihood, double kl, double klWeight,
      double learningRate, double gradientNorm, boolean applied) {}

  /**
   * Sets the epoch length the learning-rate schedule counts in (exponential decay per epoch, cosine over all
   * epochs); {@link #runEpoch} does this from the data (tests that step by hand call it).
   */
  void setStepsPerEpoch(long steps) {
    lrSchedule = config.optimizer().scheduleFor(steps, steps * config.epochs());
  }

  /**
   * One optimizer step on {@code n} images held in {@code pixels} (n x H x W x C floats in [0, 1]). A step whose
   * loss or gradients are not finite changes nothing (the updates are gated in the graph) and reports
   * {@code applied = false}; the step count only counts applied updates. {@link #runEpoch} is the public way
   * to train: it knows the epoch's length, which the learning-rate schedule needs.
   */
  StepResult trainStep(float[] pixels, int n) {
    return trainStep(pixels, null, n, null);
  }

  /**
   * {@link #trainStep(float[], int)} with the images' {@code labels} (the first n are used; null for an
   * unconditional model), handing TensorFlow's full trace of the step to {@code trace} when given.
   */
  StepResult trainStep(float[] pixels, int[] labels, int n, Consumer<RunMetadata> trace) {
    if (lrSchedule == null) {
      throw new IllegalStateException("a " + config.optimizer().schedule().label() + " learning-rate schedule needs"
          + " setStepsPerEpoch before the first step");
    }
    var s = spec.image();
    float[] values = pixels.length == (long) n * s.size() ? pixels : Arrays.copyOf(pixels, n * s.size());
    float weight = klSchedule.weight(step);
    float rate = lrSchedule.rate(step + 1);
    List<Tensor> owned = new ArrayList<>();
    try {
      TFloat32 batch = Tensors.floats(values, n, s.height(), s.width(), s.channels());
      owned.add(batch);
      TInt64 seed = TInt64.vectorOf(config.seed(), step + 1);
      owned.add(seed);
      TFloat32 w = TFloat32.scalarOf(weight);
      owned.add(w);
      Session.Runner runner = session.runner().feed(g.images, batch).feed(g.noiseSeed, seed).feed(g.klWeight, w)
          .addTarget(g.trainStep).fetch(g.loss).fetch(g.reconstruction).fetch(g.kl).fetch(g.gradientNorm)
          .fetch(g.finite);
      InferencePath.feedLabels(g, runner, labels, n, owned);
      owned.addAll(g.optimizer.feed(runner, step + 1, rate));
      if (g.weightAverage != null) {
        TFloat32 decay = TFloat32.scalarOf(g.weightAverage.decayAt(step));
        owned.add(decay);
        runner.feed(g.weightAverage.decay, decay);
      }
      if (trace != null) {
        runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
      }
      try (Result r = trace == null ? runner.run() : runner.runAndFetchMetadata()) {
        if (trace != null) {
          r.getMetadata().ifPresent(trace);
        }
        boolean applied = ((TBool) r.get(4)).getBoolean();
        StepResult out = new StepResult(Tensors.scalar(r.get(0)), Tensors.scalar(r.get(1)),
            Tensors.scalar(r.get(2)), weight, rate, Tensors.scalar(r.get(3)), applied);
        if (applied) {
          step++;
          klSchedule.observe(-out.reconstructionLogLikelihood(), out.kl());
        }
        return out;
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /** Hears each batch of {@link #runEpoch}; returning false stops the epoch there. */
  @FunctionalInterface
  public interface BatchHook {
    boolean afterBatch(EpochProgress progress, StepResult result);
  }

  /** Batches per epoch of a training set of {@code count} images. */
  public int batchesPerEpoch(int count) {
    return (count + config.batchSize() - 1) / config.batchSize();
  }

  /**
   * Runs the batches of {@code from.epoch()}, in the epoch's shuffled order, starting after the
   * {@code from.batchesDone()} batches already done (0 for a fresh epoch, more when resuming), until the epoch
   * ends or {@code hook} says stop. A last batch of a single image is left out (batch norm cannot normalize one
   * image by its own statistics). Returns where the epoch stands.
   */
  public EpochProgress runEpoch(ImageSet train, EpochProgress from, TrainingListener listener, BatchHook hook) {
    int size = spec.image().size();
    int batchSize = config.batchSize();
    int epoch = from.epoch();
    int[] order = Shuffle.order(train.count(), config.seed(), epoch);
    int batches = batchesPerEpoch(train.count());
    setStepsPerEpoch(batches);
    boolean binarize = config.objective().binarization() == Binarization.DYNAMIC;
    EpochProgress p = from;
    try (BatchFeed feed = new BatchFeed(train, order, batchSize, size, binarize ? config.seed() : null,
        backgroundBatches)) {
      for (int b = from.batchesDone(); b < batches; b++) {
        int n = Math.min(batchSize, train.count() - b * batchSize);
        if (n < 2) {
          p = new EpochProgress(epoch, b + 1, p.reconstructionSum(), p.klSum(), p.images(), p.seconds());
          continue;
        }
        long t0 = System.nanoTime();
        float[] buffer = feed.batch(b, n, step);
        int next = Math.min(batchSize, train.count() - (b + 1) * batchSize);
        if (b + 1 < batches && next >= 2) {
          feed.prefetch(b + 1, next, step + 1); // the step after this one, if this one is applied
        }
        StepResult r = trainStep(buffer, InferencePath.labelsOf(g, train, order, b * batchSize, n), n, null);
        p = p.plus(r, n, (System.nanoTime() - t0) / 1e9);
        listener.batchDone(epoch, b + 1, batches, r.loss(), p.seconds());
        if (!hook.afterBatch(p, r)) {
          return p;
        }
      }
    }
    return p;
  }

  /**
   * Whether {@link #runEpoch} prepares the next batch on a background thread while a step runs (the default) or
   * every batch on the training thread; the batches are the same either way. For measuring what it saves.
   */
  public void backgroundBatches(boolean on) {
    backgroundBatches = on;
  }

  /** The statistics of a finished epoch: its train averages, the test figures now, the schedule's last values. */
  public EpochStats epochStats(EpochProgress p, ImageSet test, StepResult last) {
    Evaluation testMeans = evaluate(test, p.epoch());
    // no step of this process in the epoch (resumed at its very end): the values of the last step taken
    double rate = last != null ? last.learningRate() : lrSchedule != null ? lrSchedule.rate(Math.max(1, step)) : 0;
    return new EpochStats(p.epoch(), p.averages(), testMeans, last == null ? klWeight() : last.klWeight(), rate,
        p.images() / Math.max(1e-9, p.seconds()), p.seconds());
  }

  /** The KL weight the next step uses (the schedule's, or the adaptive one). */
  public double klWeight() {
    return klSchedule.weight(step);
  }

  /** The schedule's adaptive KL weight, for checkpoints. */
  public double klBalance() {
    return klSchedule.balancedWeight();
  }

  /**
   * Continues from a checkpoint: restores every variable from {@code prefix} and sets the step count and the
   * adaptive KL weight.
   */
  public void restore(Path prefix, long steps, double klBalance) {
    session.restore(prefix.toString());
    step = steps;
    klSchedule.setBalancedWeight(klBalance);
  }

  /**
   * Starts from another model: its weights and batch-norm statistics from {@code prefix} (a checkpoint or a
   * SavedModel's variables, whose trainable weights are stored as {@code stored} says); the optimizer's state and
   * the step count start fresh. The model must be of this session's spec.
   */
  public void initFrom(Path prefix, org.vae4j.spec.Weights stored) {
    StartingWeights.restore(session, g, prefix, stored);
  }

  /** The current values of a variable by name (for tests and diagnostics). */
  float[] variable(String name) {
    try (Result r = session.runner().fetch(g.parameters.all().get(name)).run()) {
      return Tensors.toFloats(r.get(0));
    }
  }

  /**
   * The ELBO of {@code images} on the inference path with one sampled z per image and KL weight 1 (a true lower
   * bound, whatever the training schedule, unlike decoding the mean). {@code stream} selects the noise; the same
   * stream gives the same figures.
   */
  public Evaluation evaluate(ImageSet images, long stream) {
    return averaged(() -> inference.evaluate(images, stream));
  }

  /** Runs {@code call} on the moving averages of the weights when the run keeps them, else on the weights. */
  private <T> T averaged(java.util.function.Supplier<T> call) {
    return g.weightAverage == null ? call.get() : g.weightAverage.withAverages(session, call);
  }

  /** Encoder mean and stddev on the inference path: [0] is the mean rows, [1] the stddev rows. */
  public float[][][] encode(float[][] images) {
    return encode(images, Given.NONE);
  }

  /** The same with what the model is conditioned on, checked as {@code Vae}'s calls check it. */
  public float[][][] encode(float[][] images, Given given) {
    return averaged(() -> inference.encode(images, given));
  }

  /** Decoder means for latent codes, on the inference path. */
  public float[][] decode(float[][] codes) {
    return decode(codes, Given.NONE);
  }

  /** The same with labels, or a partial-input model's observed inputs (and masks). */
  public float[][] decode(float[][] codes, Given given) {
    return averaged(() -> inference.decode(codes, given));
  }

  /** Decoder means at z = encoder mean, on the inference path. */
  public float[][] reconstruct(float[][] images) {
    return reconstruct(images, Given.NONE);
  }

  /** The same with what the model is conditioned on. */
  public float[][] reconstruct(float[][] images, Given given) {
    return averaged(() -> inference.reconstruct(images, given));
  }

  /** Writes every variable (weights, batch-norm statistics, optimizer slots) to {@code prefix}.* files. */
  public void saveVariables(Path prefix) {
    session.save(prefix.toString());
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
