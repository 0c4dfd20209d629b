package org.vae4j.run;

import java.nio.file.Path;
import org.vae4j.internal.train.Checkpoints;

/**
 * Where a training run stands: what a checkpoint holds, and where a cancelled run continues.
 *
 * @param steps optimizer steps taken
 * @param epoch the epoch in progress (1-based; one past the last when it stands at an epoch's end)
 * @param batchesDone batches of that epoch already trained
 * @param bestEpoch the epoch with the best validation ELBO so far (0 without validation)
 * @param bestValidationElbo that ELBO (NaN without validation)
 * @param skippedBatches batches skipped for a non-finite loss or gradient ({@code --on-nan skip-batch})
 * @param checkpoint the checkpoint folder this position was written to, null when none was
 */
public record RunPosition(long steps, int epoch, int batchesDone, int bestEpoch, double bestValidationElbo,
    long skippedBatches, Path checkpoint) {

  static RunPosition of(Checkpoints.State s, Path checkpoint) {
    return new RunPosition(s.steps(), s.progress().epoch(), s.progress().batchesDone(), s.bestEpoch(),
        s.bestValidation(), s.skippedBatches(), checkpoint);
  }

  static RunPosition of(Checkpoints.Saved saved) {
    return saved == null ? null : of(saved.state(), saved.dir());
  }
}
