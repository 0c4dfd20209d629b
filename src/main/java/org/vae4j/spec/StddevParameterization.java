package org.vae4j.spec;

import org.vae4j.Choice;
import org.vae4j.VaeException;

/** How the encoder's raw second head becomes a standard deviation. */
public enum StddevParameterization implements Choice {
  /** stddev = 1e-6 + softplus(raw): the conv design's choice; grows linearly, never exactly zero. */
  SOFTPLUS,
  /** raw is log(variance): stddev = exp(raw / 2), the classic MLP VAE's choice. */
  EXP;

  /**
   * The parameterization labelled {@code text}.
   *
   * @throws VaeException naming {@code stddev} when {@code text} is none of the labels
   */
  public static StddevParameterization parse(String text) {
    return Choice.parse(StddevParameterization.class, text, "stddev");
  }
}
