package org.vae4j.run;

import java.nio.file.Path;
import org.vae4j.model.VaeSpec;
import org.vae4j.train.Checkpoints;
import org.vae4j.train.Trainer;

/**
 * Hears a training run: its start, every batch and epoch (as {@link Trainer.Events}), checkpoints, skipped
 * batches, validation, and how it ended. Every method has an empty default; the command line prints from these.
 */
public interface RunListener extends Trainer.Events {
  /**
   * What the run is about to train.
   *
   * @param validationImages 0 without validation
   * @param resumedFrom the checkpoint a resumed run continues from, null for a new run
   */
  record Start(VaeSpec spec, long parameters, String dataset, int trainingImages, int validationImages,
      int testImages, String testData, String device, Path folder, Checkpoints.Saved resumedFrom,
      int batchesPerEpoch) {}

  default void started(Start start) {}

  /** Cancelled: the checkpoint written at the stop is where {@link TrainingRun.Builder#resume()} continues. */
  default void interrupted(Checkpoints.State state, Checkpoints.Saved checkpoint) {}

  /** Validation stopped the run; the best epoch is exported. */
  default void earlyStopped(int bestEpoch) {}

  /** The version asked for was taken (an export of the interrupted run); this run exports as {@code used}. */
  default void versionTaken(Path taken, long used) {}

  default void finished(RunResult result) {}

  RunListener SILENT = new RunListener() {};
}
