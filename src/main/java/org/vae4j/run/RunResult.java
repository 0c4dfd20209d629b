package org.vae4j.run;

import java.nio.file.Path;
import java.util.List;
import org.vae4j.contract.ModelCard;
import org.vae4j.spec.EpochStats;

/**
 * What a training run did.
 *
 * @param ending how it ended: finished, stopped early by validation, or cancelled (then nothing was exported)
 * @param folder the run folder
 * @param savedModel the exported version folder, null when cancelled
 * @param card the exported model's card, null when cancelled
 * @param position where training stood at the end (steps, epoch, best validation), with the checkpoint exported
 *     or, when cancelled, the one {@link TrainingRun.Builder#resume()} continues from
 * @param history the epochs trained in this call
 */
public record RunResult(Ending ending, Path folder, Path savedModel, ModelCard card, RunPosition position,
    List<EpochStats> history) {

  /** How a run ended. */
  public enum Ending {
    /** Every epoch was trained; the last is exported (the best by validation when validating). */
    FINISHED,
    /** Validation stopped the run before its last epoch; the best epoch is exported. */
    EARLY_STOPPED,
    /** Cancelled ({@link TrainingRun.Cancel}, an interrupt): a checkpoint was written, nothing exported. */
    CANCELLED
  }

  /** Keeps an unmodifiable copy of the history. */
  public RunResult {
    history = List.copyOf(history);
  }

  /** The figure on the card: the test ELBO (or minus the loss of an mse model), NaN when nothing was exported. */
  public double testElbo() {
    if (card == null) {
      return Double.NaN;
    }
    Double elbo = card.metrics().get("test_elbo");
    return elbo != null ? elbo : -card.metrics().get("test_loss");
  }
}
