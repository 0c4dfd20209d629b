package org.vae4j.run;

import java.nio.file.Path;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.VaeSpec;

/**
 * Hears a training run: its start, every batch and epoch, checkpoints, skipped batches, validation, and how it
 * ended. Every method has an empty default; the command line prints from these.
 */
public interface RunListener {
  /**
   * What the run is about to train.
   *
   * @param spec the model
   * @param parameters the model's trainable parameters
   * @param dataset the data set's name
   * @param trainingImages the images trained on (validation images held out)
   * @param validationImages 0 without validation
   * @param testImages the images the test figures are measured on
   * @param testData what the test figures are measured on (gray levels, or binarized with a seed)
   * @param device where TensorFlow runs
   * @param folder the run folder
   * @param resumedFrom where a resumed run continues (with its checkpoint), null for a new run
   * @param batchesPerEpoch training batches in one epoch
   */
  record Start(VaeSpec spec, long parameters, String dataset, int trainingImages, int validationImages,
      int testImages, String testData, String device, Path folder, RunPosition resumedFrom,
      int batchesPerEpoch) {}

  /** Before the first batch, with what the run is about to train. */
  default void started(Start start) {}

  /** After each training batch of an epoch: its loss and the seconds since the epoch began. */
  default void batchDone(int epoch, int batch, int batches, double loss, double elapsedSeconds) {}

  /** After each epoch and its test evaluation. */
  default void epochDone(EpochStats stats) {}

  /** A checkpoint was written (every --checkpoint-every batches, at each epoch's end, and at a stop). */
  default void checkpoint(RunPosition saved) {}

  /** A batch was skipped ({@code --on-nan skip-batch}); {@code why} says what was not finite, in one phrase. */
  default void skipped(long step, String why) {}

  /** After an epoch's figures, with its validation ELBO (NaN without validation). */
  default void validated(int epoch, double validationElbo, boolean best) {}

  /** Cancelled: {@code at} is where {@link TrainingRun.Builder#resume()} continues, with its checkpoint. */
  default void interrupted(RunPosition at) {}

  /** Validation stopped the run; the best epoch is exported. */
  default void earlyStopped(int bestEpoch) {}

  /** The version asked for was taken (an export of the interrupted run); this run exports as {@code used}. */
  default void versionTaken(Path taken, long used) {}

  /**
   * The run finished or was stopped early, and its model is exported with its pictures; a cancelled run calls
   * {@link #interrupted} instead.
   */
  default void finished(RunResult result) {}

  /** A listener that hears nothing. */
  RunListener SILENT = new RunListener() {};
}
