package org.vae4j.internal.train;

import org.vae4j.spec.EpochStats;

/** Hears how training goes; the command line draws its progress bar and epoch lines from these calls. */
public interface TrainingListener {
  /** After each training batch of an epoch. */
  default void batchDone(int epoch, int batch, int batches, double loss, double elapsedSeconds) {}

  /** After each epoch and its test evaluation. */
  default void epochDone(EpochStats stats) {}

  TrainingListener SILENT = new TrainingListener() {};
}
