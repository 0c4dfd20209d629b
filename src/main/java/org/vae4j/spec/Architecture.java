package org.vae4j.spec;

import org.vae4j.Choice;
import org.vae4j.VaeException;

/** Encoder and decoder families. */
public enum Architecture implements Choice {
  /** Stride-2 convolutions ({@link ConvStack}), a dense layer and batch norm on each side (see ConvEncoder). */
  CONV,
  /** Dense + ReLU layers of the {@code --hidden} sizes on each side (see MlpEncoder). */
  MLP;

  /** Rejects image shapes the architecture cannot take (a conv model's sides are checked by its stack). */
  void check(ImageShape image) {
    if (image == null) {
      throw VaeException.setting("image is missing", "image");
    }
  }

  /** The stddev parameterization each family uses unless told otherwise. */
  public StddevParameterization defaultStddev() {
    return this == CONV ? StddevParameterization.SOFTPLUS : StddevParameterization.EXP;
  }

  /**
   * The family labelled {@code text}.
   *
   * @throws VaeException naming {@code architecture} when {@code text} is none of the labels
   */
  public static Architecture parse(String text) {
    return Choice.parse(Architecture.class, text, "architecture");
  }
}
