package org.vae4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.tensorflow.proto.ConfigProto;
import org.vae4j.VaeException;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.ModelPaths;
import org.vae4j.data.Binarization;
import org.vae4j.data.Dataset;
import org.vae4j.data.ImageSet;
import org.vae4j.export.SavedModelExport;
import org.vae4j.json.Json;
import org.vae4j.model.Architecture;
import org.vae4j.model.ImageShape;
import org.vae4j.model.Likelihood;
import org.vae4j.model.StddevParameterization;
import org.vae4j.model.VaeSpec;
import org.vae4j.serve.Vae;
import org.vae4j.tf.Device;
import org.vae4j.train.Checkpoints;
import org.vae4j.train.EpochStats;
import org.vae4j.train.Evaluation;
import org.vae4j.train.KlSchedule;
import org.vae4j.train.LearningRateSchedule;
import org.vae4j.train.ObjectiveConfig;
import org.vae4j.train.OptimizerConfig;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.RunLog;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingSession;
import org.vae4j.util.Files2;
import org.vae4j.util.FolderLock;
import org.vae4j.viz.AnimatedGif;
import org.vae4j.viz.ImageGrid;

/** {@code vae train}: trains a VAE, exports a SavedModel and writes sample and reconstruction pictures. */
final class TrainCommand extends Command {
  static final int DEFAULT_LATENT = 32;
  static final int SAMPLE_COUNT = 64;
  static final int RECONSTRUCTION_COUNT = 32;

  TrainCommand() {
    super("train", "train a VAE (built-in MNIST by default), export it as a SavedModel, write sample pictures",
        "[options]");
  }

  @Override
  Options options() {
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
        .addOption(Args.value("hidden", "N,N,...", "mlp hidden layer sizes, encoder order (default 512,256)"))
        .addOption(Args.value("stddev", "softplus|exp", "encoder stddev: 1e-6 + softplus(raw), or exp(raw / 2)"
            + " with raw a log-variance (default: softplus for conv, exp for mlp)"))
        .addOption(Args.value("likelihood", "NAME", "bernoulli, gaussian (fixed --sigma), gaussian-learned"
            + " (per-pixel variance) or mse (squared error, not a likelihood) (default bernoulli)"))
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
        // optimization
        .addOption(Args.value("optimizer", "NAME", "adam, sgd, momentum or rmsprop (default adam)"))
        .addOption(Args.value("learning-rate", "X", "step size (default 0.001)"))
        .addOption(Args.value("momentum", "M", "momentum of --optimizer momentum (default 0.9)"))
        .addOption(Args.value("lr-schedule", "NAME", "constant, exponential (per epoch) or cosine"
            + " (default constant)"))
        .addOption(Args.value("lr-warmup-steps", "N", "linear learning-rate warm-up (default 0)"))
        .addOption(Args.value("lr-decay-rate", "R", "per-epoch factor of the exponential schedule (default 0.96)"))
        .addOption(Args.value("clip-value", "V", "clip each gradient element to [-V, V] (default 0: off)"))
        .addOption(Args.value("clip-norm", "N", "scale gradients to a global norm of at most N (default 0: off)"));
    DataOptions.addTo(options);
    return options;
  }

  /** Options that --resume may be given with; every other option comes from the run being resumed. */
  private static final Set<String> RESUME_OPTIONS = Set.of("resume", "device", "verbose", "help");
  /** Options not recorded for --resume: where the run goes is the resumed folder, the device is chosen anew. */
  private static final Set<String> NOT_RECORDED = Set.of("out", "resume", "device", "verbose", "help");

  @Override
  int run(CommandLine line, Io io) throws IOException {
    if (line.hasOption("resume")) {
      return resume(line, io);
    }
    Path out = line.hasOption("out") ? Path.of(line.getOptionValue("out"))
        : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    checkFreshFolder(out);
    return train(line, Args.parseDevice(line), io, out, null);
  }

  /** {@code --resume RUN}: the run's own options, its newest checkpoint, and on from there. */
  private int resume(CommandLine line, Io io) throws IOException {
    for (org.apache.commons.cli.Option o : line.getOptions()) {
      if (!RESUME_OPTIONS.contains(o.getLongOpt())) {
        throw new UsageException("--resume continues a run with the options it was started with; --"
            + o.getLongOpt() + " cannot be changed (only --device can)");
      }
    }
    Path run = Path.of(line.getOptionValue("resume"));
    Path specFile = run.resolve("spec.json");
    if (!Files.isRegularFile(specFile)) {
      throw new VaeException(run + " is not a training run: it has no spec.json");
    }
    Object recorded = Json.parseObject(Files.readString(specFile, StandardCharsets.UTF_8)).get("arguments");
    if (!(recorded instanceof List<?> args)) {
      throw new VaeException(specFile + " does not record the run's options; it cannot be resumed");
    }
    CommandLine original;
    try {
      original = DefaultParser.builder().setAllowPartialMatching(false).build()
          .parse(options(), args.stream().map(String::valueOf).toArray(String[]::new));
    } catch (org.apache.commons.cli.ParseException e) {
      throw new VaeException(specFile + " records options this vae4j does not know: " + e.getMessage());
    }
    Checkpoints.Saved latest = new Checkpoints(run, keep(original)).latest().orElseThrow(() ->
        new VaeException(run + " has no checkpoint to resume from (checkpoints/ is empty)"));
    Path exported = run.resolve("savedmodel").resolve(Long.toString(Args.longValue(original, "model-version", 1)));
    Checkpoints.State at = latest.state();
    boolean trained = at.progress().epoch() > trainConfig(original).epochs() || Trainer.patienceRanOut(at,
        settings(original), Args.integer(original, "validation", 0, 0, Integer.MAX_VALUE) > 0,
        trainConfig(original).epochs());
    // an export without the training being over came from 'vae export' of the interrupted run: go on
    if (trained && Files.isDirectory(exported)) {
      throw new VaeException("the run in " + run + " has finished already: its model is "
          + ModelPaths.highestVersion(run.resolve("savedmodel")).orElse(exported));
    }
    Device device = line.hasOption("device") ? Args.parseDevice(line) : Args.parseDevice(original);
    return train(original, device, io, run, latest);
  }

  private static Trainer.Settings settings(CommandLine line) {
    try {
      return new Trainer.Settings(Args.integer(line, "checkpoint-every", 0, 0, Integer.MAX_VALUE), keep(line),
          Args.choice(line, "on-nan", Trainer.OnNan.STOP, Trainer.OnNan::parse),
          Args.integer(line, "early-stopping", 0, 0, 100_000));
    } catch (VaeException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static int keep(CommandLine line) {
    return Args.integer(line, "keep-checkpoints", 3, 1, 1000);
  }

  /** Trains the run in {@code out}, from scratch ({@code from} null) or from a checkpoint; exports; draws. */
  private int train(CommandLine line, Device device, Io io, Path out, Checkpoints.Saved from) throws IOException {
    FolderLock[] lock = {null};
    try {
      return train(line, device, io, out, from, lock);
    } finally {
      if (lock[0] != null) {
        lock[0].close();
      }
    }
  }

  /** The run, which takes the run folder's lock into {@code lock} as soon as it creates the folder. */
  private int train(CommandLine line, Device device, Io io, Path out, Checkpoints.Saved from, FolderLock[] lock)
      throws IOException {
    TrainConfig config = trainConfig(line);
    int latent = Args.integer(line, "latent-dim", DEFAULT_LATENT, 1, VaeSpec.MAX_LATENT);
    Architecture architecture = Args.choice(line, "architecture", Architecture.CONV, Architecture::parse);
    Likelihood likelihood = Args.choice(line, "likelihood", Likelihood.BERNOULLI, Likelihood::parse);
    Args.onlyWith(line, "hidden", architecture == Architecture.MLP, "with --architecture mlp");
    Args.onlyWith(line, "sigma", likelihood == Likelihood.GAUSSIAN, "with --likelihood gaussian");
    // a Gaussian log-density can be positive, so its "reconstruction error" can be negative and the rule stalls
    Args.onlyWith(line, "kl-balance", likelihood == Likelihood.BERNOULLI || likelihood == Likelihood.MSE,
        "with --likelihood bernoulli or mse, whose reconstruction error is never negative");
    int[] hidden = Args.integers(line, "hidden", VaeSpec.DEFAULT_HIDDEN, 1, VaeSpec.MAX_HIDDEN);
    StddevParameterization stddev = Args.choice(line, "stddev", architecture.defaultStddev(),
        StddevParameterization::parse);
    float sigma = Args.positive(line, "sigma", VaeSpec.DEFAULT_SIGMA, 1000f);
    long version = Args.longValue(line, "model-version", 1);
    if (version < 1) {
      throw new UsageException("--model-version must be a positive whole number, got " + version);
    }
    int validation = Args.integer(line, "validation", 0, 0, Integer.MAX_VALUE);
    int patience = Args.integer(line, "early-stopping", 0, 0, 100_000);
    if (patience > 0 && validation == 0) {
      throw new UsageException("--early-stopping needs --validation N (images held out of the training set)");
    }
    Trainer.Settings settings = settings(line);

    Dataset data = DataOptions.load(line, io, null);
    if (config.limit() > 0) {
      data = data.limitTrain(config.limit());
    }
    if (data.train().count() - validation < 2) {
      throw new VaeException("training needs at least 2 images" + (validation > 0 ? " besides the " + validation
          + " held out for validation" : "") + "; the data set has " + data.train().count());
    }
    Binarization binarization = config.objective().binarization();
    data = binarization.prepare(data, config.seed());
    ImageSet train = data.train().first(data.train().count() - validation);
    ImageSet held = validation > 0
        ? binarization.validation(data.train().slice(data.train().count() - validation, validation)) : null;
    VaeSpec spec = new VaeSpec(new ImageShape(data.height(), data.width(), data.channels()), latent, architecture,
        hidden, stddev, likelihood, sigma);
    Device.Resolved target = device.resolve();
    ConfigProto sessionConfig = target.config();
    Files.createDirectories(out);
    lock[0] = FolderLock.acquire(out, "training into it");
    if (from == null) {
      Files2.writeAtomically(out.resolve("spec.json"),
          specJson(spec, config, data, binarization, recordedArguments(line)).getBytes(StandardCharsets.UTF_8));
    }

    Checkpoints checkpoints = new Checkpoints(out, settings.keepCheckpoints());
    Trainer.Outcome outcome;
    ModelCard card;
    try (TrainingSession session = TrainingSession.create(spec, config, sessionConfig)) {
      long parameters = session.parameterCount();
      io.out().printf("vae4j: %s, %,d parameters; %s: %,d training%s / %,d test images of %s (test: %s); %s%n",
          spec, parameters, data.name(), train.count(), held == null ? "" : String.format(" + %,d validation",
              held.count()), data.test().count(), spec.image(), binarization.testData(), target.label());
      if (from != null) {
        session.restore(from.prefix(), from.state().steps(), from.state().klBalance());
        io.out().printf("resuming %s from %s: step %,d, epoch %d, batch %d of %d%n", out, from.dir().getFileName(),
            from.state().steps(), from.state().progress().epoch(), from.state().progress().batchesDone(),
            session.batchesPerEpoch(train.count()));
      }
      ProgressBar bar = new ProgressBar(io.err(), io.terminal());
      float[][] fixedCodes = fixedCodes(SAMPLE_COUNT, latent, config.seed());
      ImageGrid grid = new ImageGrid(data.height(), data.width(), data.channels(), 2, 1);
      List<BufferedImage> frames = new ArrayList<>();
      boolean snapshots = line.hasOption("snapshots");
      int firstEpoch = from == null ? 1 : from.state().progress().epoch();
      try (RunLog log = from == null ? RunLog.open(out, likelihood.isLikelihood())
              : RunLog.resume(out, likelihood.isLikelihood(), firstEpoch);
          StopSignals signals = StopSignals.install(io.err())) {
        Trainer.Events events = new Trainer.Events() {
          @Override
          public void batchDone(int epoch, int batch, int batches, double loss, double seconds) {
            bar.update(String.format("epoch %d/%d", epoch, config.epochs()), batch, batches, seconds,
                String.format("loss %.2f", loss));
          }

          @Override
          public void epochDone(EpochStats s) {
            bar.clear();
            io.out().println(epochLine(s, config, spec.likelihood()));
            try {
              BufferedImage samples = grid.render(session.decode(fixedCodes), 8);
              log.image(session.step(), "samples", ImageGrid.png(samples), samples.getHeight(), samples.getWidth());
              if (snapshots) {
                ImageGrid.writePng(samples, out.resolve("snapshots").resolve(String.format("epoch-%03d.png",
                    s.epoch())));
                frames.add(samples);
              }
            } catch (IOException e) {
              throw new VaeException("cannot write the epoch's pictures: " + e.getMessage(), e);
            }
          }

          @Override
          public void skipped(long step, TrainingSession.StepResult r) {
            bar.clear();
            io.err().printf("vae: skipped a batch at step %,d: %s (--on-nan skip-batch)%n", step,
                Double.isFinite(r.loss()) ? "the gradients were not finite (norm " + r.gradientNorm() + ")"
                    : "the loss was " + r.loss());
          }

          @Override
          public void validated(int epoch, double elbo, boolean best) {
            io.out().printf(Locale.ROOT, "           validation -ELBO %.2f%s%n", -elbo,
                best ? " (best so far: checkpoints/best)" : "");
          }
        };
        try {
          outcome = Trainer.run(session, new Trainer.Data(train, held, data.test()), checkpoints, settings,
              from == null ? null : from.state(), signals::requested, log, events);
        } finally {
          bar.clear();
        }
      }
      if (snapshots) {
        collectSnapshots(out, frames);
      }
      if (outcome.stop() == Trainer.Stop.INTERRUPTED) {
        Checkpoints.State st = outcome.state();
        io.out().printf("stopped at step %,d (epoch %d, batch %d of %d); checkpoint %s%n", st.steps(),
            st.progress().epoch(), st.progress().batchesDone(), session.batchesPerEpoch(train.count()),
            outcome.exportFrom().dir());
        io.out().println("resume with: vae train --resume " + out);
        return INTERRUPTED;
      }
      if (outcome.stop() == Trainer.Stop.EARLY_STOPPED) {
        io.out().printf("early stopping: the validation ELBO has not improved for %d epochs; exporting the best,"
            + " epoch %d%n", patience, outcome.state().bestEpoch());
      }
      // the card describes the exported weights: measure them, with the noise of the epoch that ended there, so
      // the card and the final line repeat that epoch's test figures instead of a second, different draw
      Checkpoints.Saved exportFrom = outcome.exportFrom();
      session.restore(exportFrom.prefix(), exportFrom.state().steps(), exportFrom.state().klBalance());
      Evaluation test = session.evaluate(data.test(), Math.max(0, exportFrom.state().progress().epoch() - 1));
      Map<String, Double> metrics = metrics(test, trainAverages(outcome, exportFrom), likelihood);
      metrics.put("final_kl_weight", session.klWeight());
      metrics.put("test_images", (double) data.test().count()); // how complete the card's test figures are
      card = SavedModelExport.card(spec, data.name(), parameters, trainingRecord(config, binarization, settings,
          validation, exportFrom), metrics);
    }
    Path base = out.resolve("savedmodel");
    Files2.deleteLeftovers(base, p -> false); // of exports killed mid-write: stale, the run folder is locked
    if (Files.isDirectory(base.resolve(Long.toString(version)))) {
      // written by 'vae export' while the run was interrupted; versions are never overwritten
      long next = ModelPaths.highestVersion(base).map(p -> Long.parseLong(p.getFileName().toString()) + 1)
          .orElse(version + 1);
      io.out().printf("%s exists already (exported before the run finished); this run's model is version %d%n",
          base.resolve(Long.toString(version)), next);
      version = next;
    }
    Path exported = SavedModelExport.export(spec, outcome.exportFrom().prefix(), card, base, version,
        sessionConfig);

    try (Vae vae = Vae.load(exported, target.gpu() ? Device.GPU : Device.CPU)) {
      ImageGrid grid = new ImageGrid(data.height(), data.width(), data.channels(), 2, 1);
      ImageGrid.writePng(grid.render(vae.sample(SAMPLE_COUNT, config.seed()).images(), 8),
          out.resolve("samples.png"));
      float[][] originals = data.test().images(0, Math.min(RECONSTRUCTION_COUNT, data.test().count()));
      ImageGrid.writePng(grid.renderPairs(originals, vae.reconstruct(originals), 8),
          out.resolve("reconstructions.png"));
    }
    String what = spec.likelihood().isLikelihood() ? "test -ELBO" : "test loss (squared error + KL)";
    Double metric = card.metrics().get(spec.likelihood().isLikelihood() ? "test_elbo" : "test_loss");
    io.out().printf("%s %.2f nats per image after %d epoch%s%n", what,
        spec.likelihood().isLikelihood() ? -metric : metric, outcome.exportFrom().state().progress().epoch() - 1,
        outcome.exportFrom().state().progress().epoch() == 2 ? "" : "s");
    io.out().println("SavedModel: " + exported);
    io.out().println("pictures:   " + out.resolve("samples.png") + ", " + out.resolve("reconstructions.png"));
    return Main.OK;
  }

  /** Exit code of a run stopped by a signal (after its checkpoint), as shells report Ctrl-C. */
  static final int INTERRUPTED = 130;

  /** The train averages of the exported epoch, when this process trained it. */
  private static Evaluation trainAverages(Trainer.Outcome outcome, Checkpoints.Saved exportFrom) {
    int epoch = exportFrom.state().progress().epoch() - 1;
    return outcome.history().stream().filter(s -> s.epoch() == epoch).map(EpochStats::train).findFirst()
        .orElse(null);
  }

  /** The animated GIF of every snapshot in the run folder (a resumed run's earlier epochs included). */
  private static void collectSnapshots(Path out, List<BufferedImage> fresh) throws IOException {
    Path dir = out.resolve("snapshots");
    List<BufferedImage> frames = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.getFileName().toString().matches("epoch-\\d+\\.png")).sorted().toList()) {
          frames.add(javax.imageio.ImageIO.read(p.toFile()));
        }
      }
    }
    if (!frames.isEmpty() || !fresh.isEmpty()) {
      AnimatedGif.write(frames.isEmpty() ? fresh : frames, 500, out.resolve("snapshots.gif"));
    }
  }

  /** The options as given, to parse again on --resume. */
  private static List<String> recordedArguments(CommandLine line) {
    List<String> args = new ArrayList<>();
    for (org.apache.commons.cli.Option o : line.getOptions()) {
      if (!NOT_RECORDED.contains(o.getLongOpt())) {
        args.add("--" + o.getLongOpt());
        if (o.hasArg()) {
          // a resumed run may start from another working folder: record where the data is, not how it was typed
          args.add(o.getLongOpt().equals("data") ? Path.of(o.getValue()).toAbsolutePath().normalize().toString()
              : o.getValue());
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
      throw new UsageException(e.getMessage());
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
        .withClipping(Args.nonNegative(line, "clip-value", 0f), Args.nonNegative(line, "clip-norm", 0f));

    KlSchedule.Anneal anneal = Args.choice(line, "kl-anneal", KlSchedule.Anneal.NONE, KlSchedule.Anneal::parse);
    Args.onlyWith(line, "kl-warmup-steps", anneal != KlSchedule.Anneal.NONE, "with --kl-anneal linear or cyclical");
    ObjectiveConfig objective = ObjectiveConfig.elbo()
        .withKl(Args.nonNegative(line, "kl-weight", 1f), anneal,
            Args.integer(line, "kl-warmup-steps", ObjectiveConfig.DEFAULT_WARMUP, 1, Integer.MAX_VALUE))
        .withFreeBits(Args.nonNegative(line, "free-bits", 0f))
        .withKlBalance(Args.decimal(line, "kl-balance", 0))
        .withMcSamples(Args.integer(line, "mc-samples", 1, 1, ObjectiveConfig.MAX_SAMPLES))
        .withBinarization(Args.choice(line, "binarize", Binarization.NONE, Binarization::parse));
    Args.onlyWith(line, "kl-weight", objective.klBalance() == 0, "without --kl-balance, which sets the weight itself");
    return TrainConfig.defaults()
        .withEpochs(Args.integer(line, "epochs", TrainConfig.DEFAULT_EPOCHS, 1, 100_000))
        .withBatchSize(Args.integer(line, "batch-size", TrainConfig.DEFAULT_BATCH, 2, 65_536))
        .withSeed(Args.longValue(line, "seed", TrainConfig.DEFAULT_SEED))
        .withLimit(Args.integer(line, "limit", 0, 0, Integer.MAX_VALUE))
        .withOptimizer(optimizer)
        .withObjective(objective);
  }

  /**
   * One line per epoch: the train and test objective with its two terms, the KL weight in force, the learning rate
   * when it changes, the number of latent dimensions in use, throughput and time.
   */
  static String epochLine(EpochStats s, TrainConfig config, Likelihood likelihood) {
    boolean elbo = likelihood.isLikelihood();
    String objective = elbo ? "-ELBO" : "loss";
    String term = elbo ? "rec" : "SE";
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "epoch %" + String.valueOf(config.epochs()).length() + "d/%d  train %s %7.2f (%s %7.2f, KL %6.2f)"
            + "  test %s %7.2f (%s %7.2f, KL %6.2f, %d active dims)  w %.3g",
        s.epoch(), config.epochs(), objective, -s.train().elbo(), term, -s.train().reconstructionLogLikelihood(),
        s.train().kl(), objective, -s.test().elbo(), term, -s.test().reconstructionLogLikelihood(), s.test().kl(),
        s.test().activeDimensions(), s.klWeight()));
    if (config.optimizer().schedule() != LearningRateSchedule.Kind.CONSTANT || config.optimizer().warmupSteps() > 0) {
      b.append(String.format(Locale.ROOT, "  lr %.3g", s.learningRate()));
    }
    b.append(String.format(Locale.ROOT, "  %,6.0f img/s  %5.1f s", s.imagesPerSecond(), s.seconds()));
    return b.toString();
  }

  /** The model card's figures: an ELBO and its terms, or for mse the loss and its terms. */
  static Map<String, Double> metrics(Evaluation test, Evaluation train, Likelihood likelihood) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (likelihood.isLikelihood()) {
      m.put("test_elbo", test.elbo());
      m.put("test_reconstruction_log_likelihood", test.reconstructionLogLikelihood());
      m.put("test_kl", test.kl());
      if (train != null) {
        m.put("train_elbo", train.elbo());
      }
    } else {
      m.put("test_loss", -test.elbo());
      m.put("test_squared_error", -test.reconstructionLogLikelihood());
      m.put("test_kl", test.kl());
      if (train != null) {
        m.put("train_loss", -train.elbo());
      }
    }
    m.put("test_active_dimensions", (double) test.activeDimensions());
    return m;
  }

  private static Map<String, Object> trainingRecord(TrainConfig config, Binarization binarization,
      Trainer.Settings settings, int validation, Checkpoints.Saved exported) {
    Map<String, Object> m = new LinkedHashMap<>(config.toMap());
    m.put("test_data", binarization.testData());
    m.put("validation_images", validation);
    m.put("early_stopping", settings.patience());
    m.put("on_nan", settings.onNan().label());
    m.put("exported_epoch", exported.state().progress().epoch() - 1);
    m.put("exported_steps", exported.state().steps());
    m.put("skipped_batches", exported.state().skippedBatches());
    return m;
  }

  /** A run never writes into a folder that already holds something: nothing a user had is overwritten. */
  private static void checkFreshFolder(Path out) throws IOException {
    if (Files.exists(out)) {
      if (!Files.isDirectory(out)) {
        throw new UsageException("--out " + out + " is a file; give a folder to create");
      }
      try (Stream<Path> children = Files.list(out)) {
        if (children.findAny().isPresent()) {
          throw new UsageException("--out " + out + " exists and is not empty; choose a new folder");
        }
      }
    }
  }

  private static String specJson(VaeSpec spec, TrainConfig config, Dataset data, Binarization binarization,
      List<String> arguments) {
    Map<String, Object> m = new LinkedHashMap<>(spec.toMap());
    m.put("dataset", data.name());
    m.put("training_images", data.train().count());
    m.put("test_images", data.test().count());
    Map<String, Object> training = new LinkedHashMap<>(config.toMap());
    training.put("test_data", binarization.testData());
    m.put("training", training);
    m.put("arguments", arguments);
    return Json.write(m) + "\n";
  }

  /** The same codes from N(0, I) every epoch, so snapshots show one set of samples changing. */
  static float[][] fixedCodes(int count, int latentDim, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed ^ 0x736e6170L);
    float[][] codes = new float[count][latentDim];
    for (float[] code : codes) {
      for (int j = 0; j < latentDim; j++) {
        code[j] = (float) random.nextGaussian();
      }
    }
    return codes;
  }
}
