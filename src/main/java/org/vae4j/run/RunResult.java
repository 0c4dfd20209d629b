package org.vae4j.run;

import java.nio.file.Path;
import java.util.List;
import org.vae4j.contract.ModelCard;
import org.vae4j.train.Checkpoints;
import org.vae4j.train.EpochStats;
import org.vae4j.train.Trainer;

/**
 * What a training run did.
 *
 * @param stop how it ended: finished, stopped early by validation, or cancelled (then nothing was exported)
 * @param folder the run folder
 * @param savedModel the exported version folder, null when cancelled
 * @param card the exported model's card, null when cancelled
 * @param state where training stood at the end (steps, epoch, best validation)
 * @param history the epochs trained in this call
 * @param checkpoint the checkpoint exported, or to resume from when cancelled
 */
public record RunResult(Trainer.Stop stop, Path folder, Path savedModel, ModelCard card, Checkpoints.State state,
    List<EpochStats> history, Path checkpoint) {

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
