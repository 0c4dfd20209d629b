package org.vae4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.VaeException;
import org.vae4j.contract.Observation;
import org.vae4j.data.Binarization;
import org.vae4j.run.RunOptions;
import org.vae4j.spec.Architecture;
import org.vae4j.spec.ConvStack;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.KlSchedule;
import org.vae4j.spec.LearningRateSchedule;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.ObjectiveConfig;
import org.vae4j.spec.OnNan;
import org.vae4j.spec.OptimizerConfig;
import org.vae4j.spec.StddevParameterization;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/**
 * The options of {@code vae train} and how they become the library's records: the model ({@link VaeSpec}), the
 * training options ({@link TrainConfig}) and the run's options ({@link RunOptions}). Flags that only apply in some
 * mode (--sigma without a Gaussian likelihood) are refused here; the rules between settings are the library's.
 */
final class TrainOptions {
  static final int DEFAULT_LATENT = 32;

  /** Options that --resume may be given with; every other option comes from the run being resumed. */
  static final Set<String> RESUME_OPTIONS = Set.of("resume", "device", "verbose", "help");
  /** Options not recorded for --resume: where the run goes is the resumed folder, the device is chosen anew. */
  private static final Set<String> NOT_RECORDED = Set.of("out", "resume", "device", "verbose", "help");

  private TrainOptions() {}

  /** Every option of vae train. */
  static Options options() {
    Options options = new Options()
        .addOption(Args.value("epochs", "N", "passes over the training images (default 10)"))
        .addOption(Args.batchSize())
        .addOption(Args.latentDim())
        .addOption(Args.value("seed", "N", "seed of weights, data order, binarization and noise (default 42)"))
        .addOption(Args.value("limit", "N", "train on the first N training images only (default: all)"))
        .addOption(Args.value("out", "DIR", "run folder to create (default runs/<timestamp>)"))
        .addOption(Args.value("model-version", "N", "version folder of the export (default 1)"))
        .addOption(Args.device())
        .addOption(Args.flag("snapshots", "after every epoch, write a sample grid from fixed codes to"
            + " snapshots/, and an animated snapshots.gif at the end"))
        // robustness
        .addOption(Args.value("resume", "RUN", "continue an interrupted run from its newest checkpoint, with the"
            + " options it was started with"))
        .addOption(Args.value("init-from", "MODEL_OR_RUN", "start from the weights and batch-norm statistics of"
            + " a trained model (a SavedModel folder, checked like any untrusted model) or of a run folder's"
            + " checkpoint, with a fresh optimizer: fine-tuning. The model options must describe the same model"))
        .addOption(Args.value("checkpoint-every", "N", "also write a checkpoint every N updates (default: epoch"
            + " ends only)"))
        .addOption(Args.value("keep-checkpoints", "N", "step checkpoints kept, besides the best (default 3)"))
        .addOption(Args.value("on-nan", "stop|skip-batch", "a non-finite loss or gradient: stop with an error, or"
            + " skip the batch (default stop); either way the bad step changes nothing"))
        .addOption(Args.value("validation", "N", "hold the last N training images out to measure a validation"
            + " ELBO every epoch; the best epoch is kept and exported"))
        .addOption(Args.value("early-stopping", "PATIENCE", "stop when the validation ELBO has not improved for"
            + " PATIENCE epochs (needs --validation)"))
        // model
        .addOption(Args.value("architecture", "conv|mlp", "encoder/decoder family (default conv)"))
        .addOption(Args.value("conditioning", "label|partial", "train a conditional VAE: label (the data's labels"
            + " enter the encoder and the decoder; sample and evaluate then take labels) or partial (the pixels"
            + " --observe names enter both, and the model completes images from them). Default: unconditional"))
        .addOption(Args.value("observe", "NAME", "the pixels a --conditioning partial model is given:"
            + " middle-column, left-half, top-half, center-square, or random-mask (each image a random set of"
            + " pixels, given as a mask: the model completes from any mask; default middle-column)"))
        .addOption(Args.flag("regressor", "with --conditioning partial: train the decoder network without z as a"
            + " deterministic regressor of the image on its observed pixels (the baseline of 'vae complete')"))
        .addOption(Args.value("hidden", "N,N,...", "mlp hidden layer sizes, encoder order (default 512,256)"))
        .addOption(CONV_CHANNELS).addOption(CONV_EXTRA).addOption(CONV_DENSE)
        .addOption(Args.value("stddev", "softplus|exp", "encoder stddev: 1e-6 + softplus(raw), or exp(raw / 2)"
            + " with raw a log-variance (default: softplus for conv, exp for mlp)"))
        .addOption(Args.value("likelihood", "NAME", "bernoulli, gaussian (fixed --sigma), gaussian-learned"
            + " (per-pixel variance), logistic (discretized logistic of 8-bit pixels: true log-likelihoods, also"
            + " in bits per dimension) or mse (squared error, not a likelihood) (default bernoulli)"))
        .addOption(Args.value("sigma", "X", "pixel stddev of the gaussian likelihood (default 0.1)"))
        .addOption(Args.value("binarize", "none|dynamic|static", "Bernoulli binarization of the pixels: a fresh"
            + " draw per batch, or one fixed draw (default none)"))
        // objective
        .addOption(Args.value("kl-weight", "W", "weight (beta) of the KL term (default 1)"))
        .addOption(Args.value("kl-anneal", "none|linear|cyclical", "ramp of the KL weight (default none)"))
        .addOption(Args.value("kl-warmup-steps", "N", "length of the ramp, or of one cycle (default "
            + ObjectiveConfig.DEFAULT_WARMUP + ")"))
        .addOption(Args.value("free-bits", "F", "floor in nats per latent dimension on the batch-mean KL"
            + " (default 0: off)"))
        .addOption(Args.value("kl-balance", "ALPHA", "adaptive KL weight: starts at 0, moves by"
            + " ALPHA * (reconstruction error - w * KL) every batch (default 0: off)"))
        .addOption(Args.value("mc-samples", "L", "samples of z per image for the reconstruction term (default 1)"))
        .addOption(Args.value("objective", "elbo|iwae", "what training maximizes: the ELBO, or the importance-weighted"
            + " bound of Burda et al. with --train-samples K (default elbo)"))
        .addOption(Args.value("train-samples", "K", "importance samples per image of --objective iwae, gradients"
            + " through all K (default 5; 1 is a one-sample ELBO)"))
        // optimization
        .addOption(Args.value("optimizer", "NAME", "adam, adamax, sgd, momentum or rmsprop (default adam)"))
        .addOption(Args.value("learning-rate", "X", "step size (default 0.001)"))
        .addOption(Args.value("momentum", "M", "momentum of --optimizer momentum (default 0.9)"))
        .addOption(Args.value("lr-schedule", "NAME", "constant, exponential (per epoch) or cosine"
            + " (default constant)"))
        .addOption(Args.value("lr-warmup-steps", "N", "linear learning-rate warm-up (default 0)"))
        .addOption(Args.value("lr-decay-rate", "R", "per-epoch factor of the exponential schedule (default 0.96)"))
        .addOption(Args.value("clip-value", "V", "clip each gradient element to [-V, V] (default 0: off)"))
        .addOption(Args.value("clip-norm", "N", "scale gradients to a global norm of at most N (default 0: off)"))
        .addOption(Args.value("ema", "DECAY", "keep an exponential moving average of the weights (Polyak averaging,"
            + " 0.999 is usual) and evaluate and export it instead of the last weights (default 0: off)"));
    DataOptions.addTo(options);
    return options;
  }

  /** The model for {@code data}'s images (and, with --conditioning label, its labels). */
  static VaeSpec spec(CommandLine line, org.vae4j.data.Dataset data) {
    VaeSpec spec = spec(line, new ImageShape(data.height(), data.width(), data.channels()));
    String kind = line.getOptionValue("conditioning");
    Args.onlyWith(line, "observe", "partial".equals(kind), "with --conditioning partial");
    Args.onlyWith(line, "regressor", "partial".equals(kind), "with --conditioning partial");
    if (kind == null) {
      return spec;
    }
    if ("partial".equals(kind)) {
      return spec.withObservation(Args.choice(line, "observe", Observation.MIDDLE_COLUMN, Observation::parse),
          line.hasOption("regressor"));
    }
    if (!"label".equals(kind)) {
      throw new UsageException("--conditioning takes label or partial, got '" + kind + "'");
    }
    if (!data.train().hasLabels()) {
      throw new UsageException("--conditioning label needs labelled data; " + data.name() + " has no labels");
    }
    int classes = data.train().classCount();
    if (classes < 2) {
      throw new UsageException("--conditioning label needs at least 2 classes; " + data.name() + " has " + classes);
    }
    return spec.withClasses(classes);
  }

  /** The model for images of {@code image}. */
  static VaeSpec spec(CommandLine line, ImageShape image) {
    int latent = Args.integer(line, "latent-dim", DEFAULT_LATENT, 1, VaeSpec.MAX_LATENT);
    Architecture architecture = Args.choice(line, "architecture", Architecture.CONV, Architecture::parse);
    Likelihood likelihood = Args.choice(line, "likelihood", Likelihood.BERNOULLI, Likelihood::parse);
    Args.onlyWith(line, "hidden", architecture == Architecture.MLP, "with --architecture mlp");
    Args.onlyWith(line, "sigma", likelihood == Likelihood.GAUSSIAN, "with --likelihood gaussian");
    int[] hidden = Args.integers(line, "hidden", VaeSpec.DEFAULT_HIDDEN, 1, VaeSpec.MAX_HIDDEN);
    StddevParameterization stddev = Args.choice(line, "stddev", architecture.defaultStddev(),
        StddevParameterization::parse);
    float sigma = Args.positive(line, "sigma", VaeSpec.DEFAULT_SIGMA, 1000f);
    return new VaeSpec(image, latent, architecture, hidden, stddev, likelihood, sigma, null,
        convStack(line, image, architecture == Architecture.CONV));
  }

  static final org.apache.commons.cli.Option CONV_CHANNELS = Args.value("conv-channels", "N,N,...", "conv: the"
      + " channels of each stride-2 level, nearest the pixels first (default: 64,128 and then 256 per level,"
      + " added until the features before the dense layer are at most 8x8 and 8192 values; 64,128 for 28x28 and"
      + " 32x32)");
  static final org.apache.commons.cli.Option CONV_EXTRA = Args.flag("conv-extra", "conv: follow each level with a"
      + " 3x3 convolution that keeps its size");
  static final org.apache.commons.cli.Option CONV_DENSE = Args.value("conv-dense", "N", "conv: the dense layer's"
      + " width, 0 for none (default 1024)");

  /**
   * The conv stack the options ask for, null for the image's default (or an mlp, which takes none: the options
   * are refused there).
   */
  static ConvStack convStack(CommandLine line, ImageShape image, boolean conv) {
    for (String o : List.of("conv-channels", "conv-extra", "conv-dense")) {
      Args.onlyWith(line, o, conv, "with --architecture conv");
    }
    if (!conv || !(line.hasOption("conv-channels") || line.hasOption("conv-extra")
        || line.hasOption("conv-dense"))) {
      return null;
    }
    ConvStack d = ConvStack.defaultFor(image);
    return new ConvStack(Args.integers(line, "conv-channels", d.channels(), 1, ConvStack.MAX_CHANNELS),
        line.hasOption("conv-extra"), Args.integer(line, "conv-dense", d.dense(), 0, ConvStack.MAX_DENSE));
  }

  /** How the run is kept and guarded. */
  static RunOptions runOptions(CommandLine line, org.vae4j.spec.Device device) {
    try {
      return RunOptions.defaults()
          .withEarlyStopping(Args.integer(line, "validation", 0, 0, Integer.MAX_VALUE),
              Args.integer(line, "early-stopping", 0, 0, 100_000))
          .withCheckpoints(Args.integer(line, "checkpoint-every", 0, 0, Integer.MAX_VALUE),
              Args.integer(line, "keep-checkpoints", 3, 1, 1000))
          .withOnNan(Args.choice(line, "on-nan", OnNan.STOP, OnNan::parse))
          .withModelVersion(Args.longValue(line, "model-version", 1))
          .withSnapshots(line.hasOption("snapshots"))
          .withDevice(device);
    } catch (VaeException e) {
      throw new UsageException(Flags.show(e));
    }
  }

  /** The options as given, to parse again on --resume. */
  static List<String> recordedArguments(CommandLine line) {
    List<String> args = new ArrayList<>();
    for (org.apache.commons.cli.Option o : line.getOptions()) {
      if (!NOT_RECORDED.contains(o.getLongOpt())) {
        args.add("--" + o.getLongOpt());
        if (o.hasArg()) {
          // a resumed run may start from another working folder: record where the data is, not how it was typed
          args.add(Set.of("data", "init-from").contains(o.getLongOpt()) ? java.nio.file.Path.of(o.getValue()).toAbsolutePath().normalize()
              .toString() : o.getValue());
        }
      }
    }
    return args;
  }

  /** The training options; a conflict between them is a usage error. */
  static TrainConfig trainConfig(CommandLine line) {
    try {
      return parseTrainConfig(line);
    } catch (UsageException e) {
      throw e;
    } catch (VaeException e) {
      throw new UsageException(Flags.show(e));
    }
  }

  private static TrainConfig parseTrainConfig(CommandLine line) {
    float lr = Args.positive(line, "learning-rate", TrainConfig.DEFAULT_LEARNING_RATE, 10f);
    OptimizerConfig.Kind kind = Args.choice(line, "optimizer", OptimizerConfig.Kind.ADAM,
        OptimizerConfig.Kind::parse);
    Args.onlyWith(line, "momentum", kind == OptimizerConfig.Kind.MOMENTUM, "with --optimizer momentum");
    LearningRateSchedule.Kind schedule = Args.choice(line, "lr-schedule", LearningRateSchedule.Kind.CONSTANT,
        LearningRateSchedule.Kind::parse);
    Args.onlyWith(line, "lr-decay-rate", schedule == LearningRateSchedule.Kind.EXPONENTIAL,
        "with --lr-schedule exponential");
    double decay = Args.decimal(line, "lr-decay-rate", 0.96);
    OptimizerConfig optimizer = OptimizerConfig.adam().withKind(kind).withLearningRate(lr)
        .withMomentum(Args.nonNegative(line, "momentum", 0.9f))
        .withSchedule(schedule, Args.integer(line, "lr-warmup-steps", 0, 0, Integer.MAX_VALUE), decay)
        .withClipping(Args.nonNegative(line, "clip-value", 0f), Args.nonNegative(line, "clip-norm", 0f))
        .withEma(Args.nonNegative(line, "ema", 0f));

    KlSchedule.Anneal anneal = Args.choice(line, "kl-anneal", KlSchedule.Anneal.NONE, KlSchedule.Anneal::parse);
    Args.onlyWith(line, "kl-warmup-steps", anneal != KlSchedule.Anneal.NONE, "with --kl-anneal linear or cyclical");
    ObjectiveConfig objective = ObjectiveConfig.elbo()
        .withKl(Args.nonNegative(line, "kl-weight", 1f), anneal,
            Args.integer(line, "kl-warmup-steps", ObjectiveConfig.DEFAULT_WARMUP, 1, Integer.MAX_VALUE))
        .withFreeBits(Args.nonNegative(line, "free-bits", 0f))
        .withKlBalance(Args.decimal(line, "kl-balance", 0))
        .withMcSamples(Args.integer(line, "mc-samples", 1, 1, ObjectiveConfig.MAX_SAMPLES))
        .withBinarization(Args.choice(line, "binarize", Binarization.NONE, Binarization::parse));
    ObjectiveConfig.Bound bound = Args.choice(line, "objective", ObjectiveConfig.Bound.ELBO,
        ObjectiveConfig.Bound::parse);
    Args.onlyWith(line, "train-samples", bound == ObjectiveConfig.Bound.IWAE, "with --objective iwae");
    Args.onlyWith(line, "mc-samples", bound == ObjectiveConfig.Bound.ELBO, "with --objective elbo");
    if (bound == ObjectiveConfig.Bound.IWAE) {
      objective = objective.withIwae(Args.integer(line, "train-samples", 5, 1, ObjectiveConfig.MAX_SAMPLES));
    }
    Args.onlyWith(line, "kl-weight", objective.klBalance() == 0, "without --kl-balance, which sets the weight itself");
    return TrainConfig.defaults()
        .withEpochs(Args.integer(line, "epochs", TrainConfig.DEFAULT_EPOCHS, 1, 100_000))
        .withBatchSize(Args.integer(line, "batch-size", TrainConfig.DEFAULT_BATCH, 2, 65_536))
        .withSeed(Args.longValue(line, "seed", TrainConfig.DEFAULT_SEED))
        .withLimit(Args.integer(line, "limit", 0, 0, Integer.MAX_VALUE))
        .withOptimizer(optimizer)
        .withObjective(objective);
  }

}
