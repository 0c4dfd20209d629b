package org.vae4j.spec;

import org.vae4j.Choice;

/**
 * Where TensorFlow runs: {@code cpu}, {@code gpu} (fail when no GPU is usable) or {@code auto} (a GPU when one is
 * usable, else the CPU). The training and serving code turns a choice into TensorFlow's session configuration.
 */
public enum Device implements Choice {
  /** The CPU, even when a GPU is usable. */
  CPU,
  /** A GPU; fails when none is usable. */
  GPU,
  /** A GPU when one is usable, else the CPU. */
  AUTO;

  /**
   * The device labelled {@code text}.
   *
   * @throws org.vae4j.VaeException naming {@code device} when {@code text} is none of the labels
   */
  public static Device parse(String text) {
    return Choice.parse(Device.class, text, "device");
  }
}
