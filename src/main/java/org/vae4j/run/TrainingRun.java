package org.vae4j.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vae4j.VaeException;
import org.vae4j.contract.ModelCard;
import org.vae4j.data.Dataset;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.export.SavedModelExport;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.train.Checkpoints;
import org.vae4j.internal.train.RunLog;
import org.vae4j.internal.train.Trainer;
import org.vae4j.internal.train.TrainingSession;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.util.FolderLock;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.Evaluation;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/**
 * A training run from Java, the whole of what {@code vae train} does: it takes a model spec, training options, run
 * options and data; trains into a run folder with checkpoints; stops cleanly when cancelled (a {@link Cancel} or
 * {@link Thread#interrupt()}), leaving a checkpoint it can resume from; exports the best or last weights as a
 * SavedModel with its model card; and writes sample and reconstruction pictures.
 *
 * <pre>{@code
 * RunResult r = TrainingRun.builder()
 *     .spec(VaeSpec.conv(new ImageShape(28, 28, 1), 16))
 *     .config(TrainConfig.defaults().withEpochs(5))
 *     .data(InMemoryImages.of("mine", new int[] {28, 28, 1}, trainImages, trainLabels, testImages, testLabels))
 *     .folder(Path.of("runs/mine"))
 *     .train();
 * }</pre>
 */
public final class TrainingRun {
  private final VaeSpec spec;
  private final TrainConfig config;
  private final RunOptions options;
  private final Dataset data;
  private final RunFolder folder;
  private final RunListener listener;
  private final Cancel cancel;
  private final List<String> arguments;
  private final Path initFrom;
  /** Where the weights came from (a fine-tuning run), for the card; null for a run from scratch. */
  private String startedFrom;
  private boolean interruptedByThread;
  /** The run's snapshots, gathered into their GIF once the model is safely exported. */
  private Snapshots trainedSnapshots;

  private TrainingRun(Builder b) {
    this.spec = Objects.requireNonNull(b.spec, "spec");
    this.config = Objects.requireNonNull(b.config, "config");
    this.options = Objects.requireNonNull(b.options, "options");
    this.data = Objects.requireNonNull(b.data, "data");
    this.folder = RunFolder.at(Objects.requireNonNull(b.folder, "folder"));
    this.listener = b.listener;
    this.cancel = b.cancel;
    this.arguments = b.arguments;
    this.initFrom = b.initFrom;
  }

  /** A builder with default training and run options, no listener and a fresh {@link Cancel}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Asks a running training to stop after its current step, with a checkpoint. Safe from any thread. */
  public static final class Cancel {
    private volatile boolean requested;

    /** Asks the run to stop; it stops after its current step. */
    public void cancel() {
      requested = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean requested() {
      return requested;
    }
  }

  /** Collects what a run needs; {@link #train()} starts a new run, {@link #resume()} continues one. */
  public static final class Builder {
    private VaeSpec spec;
    private TrainConfig config = TrainConfig.defaults();
    private RunOptions options = RunOptions.defaults();
    private Dataset data;
    private Path folder;
    private RunListener listener = RunListener.SILENT;
    private Cancel cancel = new Cancel();
    private List<String> arguments = List.of();
    private Path initFrom;

    private Builder() {}

    /**
     * Starts from the weights and batch-norm statistics of a trained model instead of random ones (fine-tuning):
     * an exported SavedModel (base or version folder, loaded through the trust check) or a run folder (its best
     * checkpoint, else its newest). Its spec must be this run's; the optimizer starts fresh. Null: from scratch.
     */
    public Builder initFrom(Path model) {
      this.initFrom = model;
      return this;
    }

    /** The model; its image shape must be the data's. */
    public Builder spec(VaeSpec spec) {
      this.spec = spec;
      return this;
    }

    /** The training options ({@link TrainConfig#defaults()} unless told otherwise). */
    public Builder config(TrainConfig config) {
      this.config = config;
      return this;
    }

    /** The run options ({@link RunOptions#defaults()} unless told otherwise). */
    public Builder options(RunOptions options) {
      this.options = options;
      return this;
    }

    /** The training and test images. */
    public Builder data(Dataset data) {
      this.data = data;
      return this;
    }

    /** The run folder: new (or empty) for {@link #train()}, an earlier run's for {@link #resume()}. */
    public Builder folder(Path folder) {
      this.folder = folder;
      return this;
    }

    /** Who hears the run's progress; null: {@link RunListener#SILENT}. */
    public Builder listener(RunListener listener) {
      this.listener = listener == null ? RunListener.SILENT : listener;
      return this;
    }

    /** The switch that stops the run from another thread; null: a fresh one nobody holds. */
    public Builder cancel(Cancel cancel) {
      this.cancel = cancel == null ? new Cancel() : cancel;
      return this;
    }

    /** How the run was asked for (a command line, for example), recorded in its spec. */
    public Builder arguments(List<String> arguments) {
      this.arguments = List.copyOf(arguments);
      return this;
    }

    /**
     * Checks that the settings go together (each record checks its own fields when made).
     *
     * @throws VaeException naming the fields that conflict
     */
    public Builder check() {
      Compatibility.check(Objects.requireNonNull(spec, "spec"), config, options);
      return this;
    }

    /**
     * Trains a new run in an empty or new folder.
     *
     * @throws VaeException for settings that do not go together, data that does not fit, or a folder in use
     */
    public RunResult train() throws IOException {
      TrainingRun run = new TrainingRun(this);
      run.folder.checkFresh();
      return run.execute(false);
    }

    /**
     * Continues the run in the folder from its newest checkpoint, exactly: the same batches, noise and schedules
     * as an uninterrupted run. Spec, config and data must be the ones it started with.
     */
    public RunResult resume() throws IOException {
      return new TrainingRun(this).execute(true);
    }
  }

  private RunResult execute(boolean resume) throws IOException {
    try {
      return executeLocked(resume);
    } finally {
      if (interruptedByThread) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private RunResult executeLocked(boolean resume) throws IOException {
    Compatibility.check(spec, config, options);
    Dataset prepared = prepareData();
    ImageSet train = prepared.train().first(prepared.train().count() - options.validation());
    ImageSet held = options.validation() > 0 ? config.objective().binarization().validation(
        prepared.train().slice(prepared.train().count() - options.validation(), options.validation())) : null;
    Sessions.Resolved device = Sessions.resolve(options.device());
    Checkpoints.Saved from = null;
    InitFrom start = null;
    if (resume) {
      // not a run: say so before the lock creates anything in the folder
      startedFrom = folder.readSpec().get("init_from") instanceof String s ? s : null;
    } else if (initFrom != null) {
      start = InitFrom.resolve(initFrom);
      start.checkSpec(spec);
      startedFrom = start.source();
    }
    try (FolderLock lock = folder.lock("training into it")) {
      Checkpoints checkpoints = folder.checkpoints(options.keepCheckpoints());
      if (resume) {
        from = resumePoint(checkpoints, prepared);
      } else {
        folder.writeSpec(RunRecords.spec(spec, config, options, prepared, startedFrom, arguments));
      }
      Trained trained = trainAndMeasure(prepared, train, held, device, checkpoints, from, start);
      if (trained.outcome.stop() == Trainer.Stop.INTERRUPTED) {
        trainedSnapshots.finish();
        return new RunResult(RunResult.Ending.CANCELLED, folder.dir(), null, null, position(trained.outcome),
            trained.outcome.history());
      }
      Files2.deleteLeftovers(folder.savedModels(), p -> false); // of exports killed mid-write: stale while locked
      long version = folder.freeVersion(options.modelVersion());
      if (version != options.modelVersion()) {
        listener.versionTaken(folder.version(options.modelVersion()), version);
      }
      Path exported = SavedModelExport.export(spec, trained.outcome.exportFrom().prefix(), weights(), trained.card,
          folder.savedModels(), version, device.config());
      RunPictures.write(exported, folder, prepared.test(), config.seed(), device);
      trainedSnapshots.finish();
      RunResult result = new RunResult(trained.outcome.stop() == Trainer.Stop.EARLY_STOPPED
          ? RunResult.Ending.EARLY_STOPPED : RunResult.Ending.FINISHED, folder.dir(), exported, trained.card,
          position(trained.outcome), trained.outcome.history());
      listener.finished(result);
      return result;
    }
  }

  private Dataset prepareData() {
    ImageShape shape = new ImageShape(data.height(), data.width(), data.channels());
    if (!shape.equals(spec.image())) {
      throw VaeException.setting("spec has images of " + spec.image() + " but the data's are " + shape, "spec");
    }
    Dataset limited = config.limit() > 0 ? data.limitTrain(config.limit()) : data;
    Compatibility.checkLabels(spec, limited);
    if (limited.train().count() - options.validation() < 2) {
      throw VaeException.setting("training needs at least 2 images" + (options.validation() > 0 ? " besides the "
          + options.validation() + " held out for validation" : "") + "; the data set has "
          + limited.train().count(), "validation");
    }
    return config.objective().binarization().prepare(limited, config.seed());
  }

  private Checkpoints.Saved resumePoint(Checkpoints checkpoints, Dataset prepared) {
    Map<String, Object> recorded = new java.util.HashMap<>(folder.readSpec());
    // the model as the recorded spec reads back: a spec.json from before a setting existed gets its old value
    recorded.putAll(VaeSpec.fromMap(recorded, folder.specFile().toString()).toMap());
    Map<String, Object> now = RunRecords.spec(spec, config, options, prepared, startedFrom, arguments);
    for (String key : now.keySet()) {
      // the data set's name may be spelled another way (a relative folder, given again absolute); its counts,
      // the split and every setting must match; keys an older spec lacks are not compared
      boolean compared = !List.of("arguments", "dataset", "init_from").contains(key)
          && (recorded.containsKey(key) || !List.of("training_images", "test_images", "validation_images")
              .contains(key));
      if (compared && !RunRecords.same(recorded.get(key), now.get(key))) {
        throw new VaeException(folder.specFile() + " records " + key + " " + recorded.get(key) + ", but this run"
            + " was given " + now.get(key) + "; a run resumes with the settings it started with");
      }
    }
    Checkpoints.Saved latest = checkpoints.latest().orElseThrow(() -> new VaeException(folder.dir()
        + " has no checkpoint to resume from (checkpoints/ is empty)"));
    Checkpoints.State at = latest.state();
    boolean finished = at.progress().epoch() > config.epochs() || Trainer.patienceRanOut(at,
        options.trainerSettings(), options.validation() > 0, config.epochs());
    // an export without the training being over came from an export of the interrupted run: go on
    if (finished && java.nio.file.Files.isDirectory(folder.version(options.modelVersion()))) {
      throw new VaeException("the run in " + folder.dir() + " has finished already: its model is "
          + org.vae4j.contract.ModelPaths.highestVersion(folder.savedModels())
              .orElse(folder.version(options.modelVersion())));
    }
    return latest;
  }

  private record Trained(Trainer.Outcome outcome, ModelCard card) {}

  private Trained trainAndMeasure(Dataset prepared, ImageSet train, ImageSet held, Sessions.Resolved device,
      Checkpoints checkpoints, Checkpoints.Saved from, InitFrom start) throws IOException {
    boolean likelihood = spec.likelihood().isLikelihood();
    try (TrainingSession session = TrainingSession.create(spec, config, device.config())) {
      listener.started(new RunListener.Start(spec, session.parameterCount(), prepared.name(), train.count(),
          held == null ? 0 : held.count(), prepared.test().count(), config.objective().binarization().testData(),
          device.label(), folder.dir(), RunPosition.of(from), session.batchesPerEpoch(train.count())));
      if (from != null) {
        session.restore(from.prefix(), from.state().steps(), from.state().klBalance());
      } else if (start != null) {
        session.initFrom(start.prefix(), start.stored());
      }
      Snapshots snapshots = new Snapshots(folder, spec, config.seed(), options.snapshots(), prepared.test());
      int firstEpoch = from == null ? 1 : from.state().progress().epoch();
      Trainer.Outcome outcome;
      try (RunLog log = from == null ? RunLog.open(folder.dir(), likelihood)
          : RunLog.resume(folder.dir(), likelihood, firstEpoch)) {
        Trainer.Events events = new Trainer.Events() {
          @Override
          public void batchDone(int epoch, int batch, int batches, double loss, double seconds) {
            listener.batchDone(epoch, batch, batches, loss, seconds);
          }

          @Override
          public void epochDone(EpochStats s) {
            listener.epochDone(s);
            snapshots.epochDone(session, log, s);
          }

          @Override
          public void checkpoint(Checkpoints.Saved saved) {
            listener.checkpoint(RunPosition.of(saved));
          }

          @Override
          public void skipped(long step, TrainingSession.StepResult r) {
            listener.skipped(step, Double.isFinite(r.loss()) ? "the gradients were not finite (norm "
                + r.gradientNorm() + ")" : "the loss was " + r.loss());
          }

          @Override
          public void validated(int epoch, double elbo, boolean best) {
            listener.validated(epoch, elbo, best);
          }
        };
        outcome = Trainer.run(session, new Trainer.Data(train, held, prepared.test()), checkpoints,
            options.trainerSettings(), from == null ? null : from.state(),
            this::stopRequested, log, events);
      }
      trainedSnapshots = snapshots;
      if (outcome.stop() == Trainer.Stop.INTERRUPTED) {
        listener.interrupted(position(outcome));
        return new Trained(outcome, null);
      }
      if (outcome.stop() == Trainer.Stop.EARLY_STOPPED) {
        listener.earlyStopped(outcome.state().bestEpoch());
      }
      // the card describes the exported weights: measure them, with the noise of the epoch that ended there, so
      // the card repeats that epoch's test figures instead of a second, different draw
      Checkpoints.Saved exportFrom = outcome.exportFrom();
      session.restore(exportFrom.prefix(), exportFrom.state().steps(), exportFrom.state().klBalance());
      Evaluation test = session.evaluate(prepared.test(), Math.max(0, exportFrom.state().progress().epoch() - 1));
      Map<String, Double> metrics = RunRecords.metrics(test, trainAverages(outcome, exportFrom), spec);
      metrics.put("final_kl_weight", session.klWeight());
      metrics.put("test_images", (double) prepared.test().count()); // how complete the card's test figures are
      ModelCard card = SavedModelExport.card(spec, prepared.name(), session.parameterCount(),
          RunRecords.training(config, options, exportFrom, startedFrom, weights()), metrics);
      return new Trained(outcome, card);
    }
  }

  /**
   * Whether to stop after this step. An interrupt is taken as a cancel and its flag cleared while the checkpoint is
   * written (interruptible file channels would refuse the write), then set again when the run returns.
   */
  private boolean stopRequested() {
    if (Thread.interrupted()) {
      interruptedByThread = true;
      cancel.cancel();
    }
    return cancel.requested();
  }

  /** Where the run stood at its end, with the checkpoint it exports or (cancelled) resumes from. */
  private static RunPosition position(Trainer.Outcome outcome) {
    return RunPosition.of(outcome.state(), outcome.exportFrom().dir());
  }

  /** The weights an export takes: their moving average when the run keeps one. */
  private Weights weights() {
    return config.optimizer().emaDecay() > 0 ? Weights.AVERAGED : Weights.LAST;
  }

  /** The train averages of the exported epoch, when this process trained it. */
  private static Evaluation trainAverages(Trainer.Outcome outcome, Checkpoints.Saved exportFrom) {
    int epoch = exportFrom.state().progress().epoch() - 1;
    return outcome.history().stream().filter(s -> s.epoch() == epoch).map(EpochStats::train).findFirst()
        .orElse(null);
  }
}
