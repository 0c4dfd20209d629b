package org.vae4j.serve;

import org.vae4j.VaeException;
import org.vae4j.spec.Device;

/**
 * How {@link Vae#load(java.nio.file.Path, VaeOptions)} loads a model.
 *
 * @param device where TensorFlow runs it; null lets TensorFlow place it (a GPU when it has one)
 * @param trusted load even when the graph holds ops that read or write files, print, or run foreign code (a
 *     SavedModel is code, and loading runs its restore op: set it only for models from a source you trust)
 * @param threads TensorFlow's threads for one call's ops (intra-op) and for ops side by side (inter-op); 0 keeps
 *     TensorFlow's default (one per core)
 */
public record VaeOptions(Device device, boolean trusted, int threads) {
  /**
   * Checks the options.
   *
   * @throws VaeException naming the setting when threads is not 0 to 1024
   */
  public VaeOptions {
    if (threads < 0 || threads > 1024) {
      throw VaeException.setting("threads must be between 0 (TensorFlow's default) and 1024, got " + threads,
          "threads");
    }
  }

  /** TensorFlow's placement, untrusted, TensorFlow's thread counts. */
  public static VaeOptions defaults() {
    return new VaeOptions(null, false, 0);
  }

  /** These options running the model on {@code where} (null: TensorFlow's placement). */
  public VaeOptions withDevice(Device where) {
    return new VaeOptions(where, trusted, threads);
  }

  /** Trusts the model's graph: see {@link #trusted()}. */
  public VaeOptions trusting() {
    return new VaeOptions(device, true, threads);
  }

  /** These options with {@code n} TensorFlow threads (0: TensorFlow's default). */
  public VaeOptions withThreads(int n) {
    return new VaeOptions(device, trusted, n);
  }
}
