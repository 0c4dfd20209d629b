package org.vae4j.spec;

/**
 * Which values of the trainable weights a graph reads from a training checkpoint: the last ones, or their
 * exponential moving average (stored beside each weight as {@code <name>-ema}).
 */
public enum Weights {
  /** The weights as the last update left them. */
  LAST(""),
  /** The exponential moving average of the weights, kept by training with an EMA decay. */
  AVERAGED("-ema");

  private final String suffix;

  Weights(String suffix) {
    this.suffix = suffix;
  }

  /** What a trainable variable's checkpoint name adds to its own. */
  public String suffix() {
    return suffix;
  }
}
