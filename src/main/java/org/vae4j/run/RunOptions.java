package org.vae4j.run;

import org.vae4j.VaeException;
import org.vae4j.internal.train.Trainer;
import org.vae4j.spec.Device;
import org.vae4j.spec.OnNan;

/**
 * How a training run is kept and guarded, beside the model ({@code VaeSpec}) and the training options
 * ({@code TrainConfig}). Validated here, with messages that name the fields.
 *
 * @param validation the last {@code validation} training images are held out to measure a validation ELBO every
 *     epoch; the best epoch is kept and exported (0: none)
 * @param patience stop when the validation ELBO has not improved for this many epochs (0: never; needs validation)
 * @param checkpointEvery also write a checkpoint every this many updates (0: at epoch ends only)
 * @param keepCheckpoints step checkpoints kept, besides the best
 * @param onNan what a non-finite loss or gradient does
 * @param modelVersion the version folder of the export
 * @param snapshots after every epoch, write a sample grid from fixed codes to {@code snapshots/}, and an animated
 *     GIF at the end
 * @param device where TensorFlow runs
 */
public record RunOptions(int validation, int patience, int checkpointEvery, int keepCheckpoints,
    OnNan onNan, long modelVersion, boolean snapshots, Device device) {

  /**
   * Checks the options.
   *
   * @throws VaeException naming the setting when validation or checkpointEvery is negative, patience is not 0 to
   *     100000 or is set without validation, keepCheckpoints is not 1 to 1000, modelVersion is not positive, or
   *     onNan or device is null
   */
  public RunOptions {
    if (validation < 0) {
      throw VaeException.setting("validation must be 0 (none) or a number of images, got " + validation,
          "validation");
    }
    if (patience < 0 || patience > 100_000) {
      throw VaeException.setting("patience must be between 0 (off) and 100000 epochs, got " + patience, "patience");
    }
    if (patience > 0 && validation == 0) {
      throw VaeException.setting("patience needs validation images (held out of the training set)", "patience",
          "validation");
    }
    if (checkpointEvery < 0) {
      throw VaeException.setting("checkpointEvery must be 0 (epoch ends only) or positive, got " + checkpointEvery,
          "checkpointEvery");
    }
    if (keepCheckpoints < 1 || keepCheckpoints > 1000) {
      throw VaeException.setting("keepCheckpoints must be between 1 and 1000, got " + keepCheckpoints,
          "keepCheckpoints");
    }
    if (modelVersion < 1) {
      throw VaeException.setting("modelVersion must be a positive whole number, got " + modelVersion,
          "modelVersion");
    }
    if (onNan == null || device == null) {
      throw VaeException.setting("onNan and device must be given", "onNan", "device");
    }
  }

  /** No validation, checkpoints at epoch ends (three kept), stop on a non-finite step, version 1, the CPU. */
  public static RunOptions defaults() {
    return new RunOptions(0, 0, 0, 3, OnNan.STOP, 1, false, Device.CPU);
  }

  /** These options with the last {@code images} training images held out for validation. */
  public RunOptions withValidation(int images) {
    return new RunOptions(images, patience, checkpointEvery, keepCheckpoints, onNan, modelVersion, snapshots,
        device);
  }

  /** Validation with early stopping after {@code epochs} epochs without improvement. */
  public RunOptions withEarlyStopping(int images, int epochs) {
    return new RunOptions(images, epochs, checkpointEvery, keepCheckpoints, onNan, modelVersion, snapshots,
        device);
  }

  /** These options with a checkpoint every {@code every} updates (0: at epoch ends only), {@code keep} kept. */
  public RunOptions withCheckpoints(int every, int keep) {
    return new RunOptions(validation, patience, every, keep, onNan, modelVersion, snapshots, device);
  }

  /** These options with {@code policy} for a non-finite loss or gradient. */
  public RunOptions withOnNan(OnNan policy) {
    return new RunOptions(validation, patience, checkpointEvery, keepCheckpoints, policy, modelVersion, snapshots,
        device);
  }

  /** These options exporting as version {@code version}. */
  public RunOptions withModelVersion(long version) {
    return new RunOptions(validation, patience, checkpointEvery, keepCheckpoints, onNan, version, snapshots,
        device);
  }

  /** These options writing per-epoch snapshots and their GIF, or not. */
  public RunOptions withSnapshots(boolean write) {
    return new RunOptions(validation, patience, checkpointEvery, keepCheckpoints, onNan, modelVersion, write,
        device);
  }

  /** These options running TensorFlow on {@code where}. */
  public RunOptions withDevice(Device where) {
    return new RunOptions(validation, patience, checkpointEvery, keepCheckpoints, onNan, modelVersion, snapshots,
        where);
  }

  /** The trainer's part of these options. */
  Trainer.Settings trainerSettings() {
    return new Trainer.Settings(checkpointEvery, keepCheckpoints, onNan, patience);
  }
}
