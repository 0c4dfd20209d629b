package org.vae4j.internal.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.vae4j.VaeException;
import org.vae4j.data.ImageSet;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.OnNan;

/**
 * The training run: epochs of a {@link TrainingSession} with checkpoints every {@code checkpointEvery} updates and
 * at every epoch end, a policy for non-finite steps, validation with the best checkpoint kept and early stopping,
 * and a clean stop (checkpoint first) when asked. A run resumed from a checkpoint continues exactly where it
 * stood: the same batches in the same order, the same noise, the same schedules.
 */
public final class Trainer {
  /** Batches in a row whose loss may be non-finite under skip-batch before training gives up. */
  public static final int MAX_CONSECUTIVE_SKIPS = 10;
  /** Noise stream of validation: the same every epoch, so epochs are compared on the same draws. */
  static final long VALIDATION_STREAM = 1_000_000L;

  /** What a run does with each step's result under its --on-nan policy. */
  static final class NanPolicy {
    private final OnNan onNan;
    private int consecutive;

    NanPolicy(OnNan onNan) {
      this.onNan = onNan;
    }

    /**
     * True when the step was skipped (and training goes on).
     *
     * @throws VaeException when the policy is stop, or after too many non-finite batches in a row
     */
    boolean skipped(TrainingSession.StepResult r, long step) {
      if (r.applied()) {
        consecutive = 0;
        return false;
      }
      if (onNan == OnNan.STOP) {
        throw nonFinite(r, step);
      }
      if (++consecutive >= MAX_CONSECUTIVE_SKIPS) {
        throw VaeException.setting("the loss was not finite for " + MAX_CONSECUTIVE_SKIPS + " batches in a row"
            + " (the last at step " + step + "); the newest checkpoint is the last good state; try a smaller"
            + " learningRate or clipNorm", "learningRate", "clipNorm");
      }
      return true;
    }
  }

  /** The error for a step whose loss or gradients were not finite, naming the step and the likely causes. */
  public static VaeException nonFinite(TrainingSession.StepResult r, long step) {
    String what = Double.isFinite(r.loss()) ? "the gradients became " + r.gradientNorm()
        : "the loss became " + r.loss();
    return VaeException.setting(what + " at step " + step + " (the weights were left as they were); likely causes:"
        + " a learning rate too large for the data (try a smaller learningRate or clipNorm), or a pixel model"
        + " that does not suit it (likelihood), or non-finite input pixels", "learningRate", "clipNorm", "likelihood");
  }

  /**
   * @param checkpointEvery write a checkpoint every this many updates (0: only at epoch ends)
   * @param keepCheckpoints step checkpoints kept
   * @param patience stop when the validation ELBO has not improved for this many epochs (0: never)
   */
  public record Settings(int checkpointEvery, int keepCheckpoints, OnNan onNan, int patience) {
    public Settings {
      if (checkpointEvery < 0) {
        throw VaeException.setting("checkpointEvery must be 0 (epoch ends only) or positive, got " + checkpointEvery, "checkpointEvery");
      }
      if (patience < 0) {
        throw VaeException.setting("patience must be 0 (off) or positive, got " + patience, "patience");
      }
    }

    public static Settings defaults() {
      return new Settings(0, 3, OnNan.STOP, 0);
    }
  }

  /** The images of a run: training, validation (null for none) and test. */
  public record Data(ImageSet train, ImageSet validation, ImageSet test) {}

  /** Hears the run: batches and epochs (as {@link TrainingListener}), plus checkpoints, skips and stops. */
  public interface Events extends TrainingListener {
    default void checkpoint(Checkpoints.Saved saved) {}

    default void skipped(long step, TrainingSession.StepResult result) {}

    /** After an epoch's figures, with its validation ELBO (NaN without validation). */
    default void validated(int epoch, double validationElbo, boolean best) {}
  }

  /** How a run ended. */
  public enum Stop { FINISHED, EARLY_STOPPED, INTERRUPTED }

  /**
   * @param history the epochs finished in this process
   * @param exportFrom the checkpoint to export: the best by validation when there is one, else the newest
   * @param state where training stood at the end
   */
  public record Outcome(Stop stop, List<EpochStats> history, Checkpoints.Saved exportFrom,
      Checkpoints.State state) {}

  /**
   * Whether early stopping ends a run that stands at {@code s}: at an epoch's end, with {@code patience} epochs
   * since the best validation ELBO, before the last epoch.
   */
  public static boolean patienceRanOut(Checkpoints.State s, Settings settings, boolean validating, int epochs) {
    int finished = s.progress().epoch() - 1;
    return validating && settings.patience() > 0 && s.progress().batchesDone() == 0
        && finished - s.bestEpoch() >= settings.patience() && finished < epochs;
  }

  /**
   * Trains from {@code start} (null: from scratch) to the last epoch of the session's config, or until stopped.
   *
   * @param stopRequested asked after every batch; true writes a checkpoint and ends the run as INTERRUPTED
   */
  public static Outcome run(TrainingSession session, Data data, Checkpoints checkpoints, Settings settings,
      Checkpoints.State start, BooleanSupplier stopRequested, RunLog log, Events events) throws IOException {
    return new Trainer(session, data, checkpoints, settings, stopRequested, log, events).train(start);
  }

  private final TrainingSession session;
  private final Data data;
  private final Checkpoints checkpoints;
  private final Settings settings;
  private final BooleanSupplier stopRequested;
  private final RunLog log;
  private final Events events;
  private final boolean validating;
  /** Where training stands, updated after every batch. */
  private Checkpoints.State state;
  /** The newest checkpoint written (or found). */
  private Checkpoints.Saved newest;
  private boolean interrupted;

  private Trainer(TrainingSession session, Data data, Checkpoints checkpoints, Settings settings,
      BooleanSupplier stopRequested, RunLog log, Events events) {
    this.session = session;
    this.data = data;
    this.checkpoints = checkpoints;
    this.settings = settings;
    this.stopRequested = stopRequested;
    this.log = log;
    this.events = events;
    this.validating = data.validation() != null;
  }

  private Outcome train(Checkpoints.State start) throws IOException {
    int epochs = session.config().epochs();
    state = start != null ? start
        : new Checkpoints.State(0, EpochProgress.start(1), 0, Double.NaN, 0, 0);
    newest = checkpoints.latest().orElse(null);
    List<EpochStats> history = new ArrayList<>();
    if (start != null && patienceRanOut(start, settings, validating, epochs)) {
      // a run that stopped early and was killed before its export: nothing to train, export its best
      return new Outcome(Stop.EARLY_STOPPED, history, checkpoints.best().orElse(newest), start);
    }
    while (state.progress().epoch() <= epochs) {
      EpochSteps steps = new EpochSteps();
      EpochProgress progress = session.runEpoch(data.train(), state.progress(), events, steps);
      if (interrupted) {
        return new Outcome(Stop.INTERRUPTED, history, newest, state);
      }
      EpochStats stats = session.epochStats(progress, data.test(), steps.last);
      // asked to stop during the evaluation: finish the epoch's files and checkpoint first (the question also
      // lets the asker clear a thread interrupt before those writes)
      boolean stop = stopRequested.getAsBoolean();
      history.add(stats);
      log.epoch(stats, session.step());
      events.epochDone(stats);
      endEpoch(progress);
      if (stop || interrupted || stopRequested.getAsBoolean()) {
        return new Outcome(Stop.INTERRUPTED, history, newest, state);
      }
      if (patienceRanOut(state, settings, validating, epochs)) {
        return new Outcome(Stop.EARLY_STOPPED, history, checkpoints.best().orElse(newest), state);
      }
    }
    return new Outcome(Stop.FINISHED, history, validating ? checkpoints.best().orElse(newest) : newest, state);
  }

  /** After each batch: the NaN policy, the state, checkpoints when due, and a stop when asked. */
  private final class EpochSteps implements TrainingSession.BatchHook {
    private final NanPolicy nan = new NanPolicy(settings.onNan());
    /** The last applied step of the epoch, null before one. */
    private TrainingSession.StepResult last;

    @Override
    public boolean afterBatch(EpochProgress p, TrainingSession.StepResult r) {
      long skipped = state.skippedBatches();
      if (nan.skipped(r, session.step() + 1)) {
        skipped++;
        events.skipped(session.step() + 1, r);
      } else {
        last = r;
      }
      state = new Checkpoints.State(session.step(), p, session.klBalance(), state.bestValidation(),
          state.bestEpoch(), skipped);
      boolean due = settings.checkpointEvery() > 0 && r.applied()
          && session.step() % settings.checkpointEvery() == 0;
      boolean stop = stopRequested.getAsBoolean();
      if (due || stop) {
        newest = checkpoints.save(session, state);
        events.checkpoint(newest);
      }
      interrupted = stop;
      return !stop;
    }
  }

  /** Validation, the best checkpoint when it improved, and the epoch-end checkpoint. */
  private void endEpoch(EpochProgress progress) throws IOException {
    double best = state.bestValidation();
    int bestEpoch = state.bestEpoch();
    boolean improved = false;
    if (validating) {
      double v = session.evaluate(data.validation(), VALIDATION_STREAM).elbo();
      // a non-finite validation ELBO never counts as the best
      improved = Double.isFinite(v) && (Double.isNaN(best) || v > best);
      if (improved) {
        best = v;
        bestEpoch = progress.epoch();
      }
      events.validated(progress.epoch(), v, improved);
      interrupted |= stopRequested.getAsBoolean(); // before the checkpoint writes, as above
    }
    state = new Checkpoints.State(session.step(), EpochProgress.start(progress.epoch() + 1),
        session.klBalance(), best, bestEpoch, state.skippedBatches());
    // best first: a crash between the two leaves a step checkpoint from before this epoch, whose redo
    // reaches the same validation ELBO and saves best again; the other order could leave best/ stale
    if (improved) {
      events.checkpoint(checkpoints.saveBest(session, state));
    }
    newest = checkpoints.save(session, state);
    events.checkpoint(newest);
  }
}
