package org.vae4j.spec;

import org.vae4j.Choice;

/** What a non-finite loss or gradient does to a training run. */
public enum OnNan implements Choice {
  /** Stop with an error; the newest checkpoint is the last good state (the bad step changed nothing). */
  STOP,
  /** Skip the batch (it changed nothing) and go on; stop after ten non-finite batches in a row. */
  SKIP_BATCH;

  /**
   * The policy labelled {@code text} ({@code stop} or {@code skip-batch}).
   *
   * @throws org.vae4j.VaeException naming the setting and both choices
   */
  public static OnNan parse(String text) {
    return Choice.parse(OnNan.class, text, "onNan");
  }
}
