package org.vae4j.internal.train;

import org.vae4j.data.ImageSet;
import org.vae4j.spec.EpochStats;

/** Whole epochs for tests that train a session directly, without a Trainer's checkpoints and policies. */
public final class Epochs {
  private Epochs() {}

  /** One epoch and the test figures after it; a non-finite step fails with the trainer's message. */
  public static EpochStats train(TrainingSession s, ImageSet train, int epoch, ImageSet test,
      TrainingListener listener) {
    TrainingSession.StepResult[] last = new TrainingSession.StepResult[1];
    EpochProgress p = s.runEpoch(train, EpochProgress.start(epoch), listener,
        (progress, r) -> {
          if (!r.applied()) {
            throw Trainer.nonFinite(r, s.step() + 1);
          }
          last[0] = r;
          return true;
        });
    return s.epochStats(p, test, last[0]);
  }
}
