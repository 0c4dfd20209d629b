package org.vae4j.internal.train;

import org.vae4j.spec.Evaluation;

/**
 * Where an epoch stands: batches done so far and the sums behind its train averages (kept in checkpoints, so a
 * resumed epoch reports the same averages).
 */
public record EpochProgress(int epoch, int batchesDone, double reconstructionSum, double klSum, int images,
    double seconds) {
  public static EpochProgress start(int epoch) {
    return new EpochProgress(epoch, 0, 0, 0, 0, 0);
  }

  EpochProgress plus(TrainingSession.StepResult r, int n, double moreSeconds) {
    return r.applied()
        ? new EpochProgress(epoch, batchesDone + 1, reconstructionSum + r.reconstructionLogLikelihood() * n,
            klSum + r.kl() * n, images + n, seconds + moreSeconds)
        : new EpochProgress(epoch, batchesDone + 1, reconstructionSum, klSum, images, seconds + moreSeconds);
  }

  /** Per-image averages of the applied batches; NaN when every batch of the epoch was skipped. */
  public Evaluation averages() {
    double n = images > 0 ? images : Double.NaN;
    return new Evaluation((reconstructionSum - klSum) / n, reconstructionSum / n, klSum / n, new double[0],
        images);
  }
}
