package org.vae4j.model;

import org.vae4j.VaeException;
import org.vae4j.util.Choice;

/** Encoder and decoder families. */
public enum Architecture implements Choice {
  /** Two stride-2 convolutions, a dense layer and batch norm on each side (see {@link ConvEncoder}). */
  CONV,
  /** Dense + ReLU layers of the {@code --hidden} sizes on each side (see {@link MlpEncoder}). */
  MLP;

  /** Rejects image shapes the architecture cannot take. */
  void check(ImageShape image) {
    if (this == CONV && (image.height() % 4 != 0 || image.width() % 4 != 0)) {
      throw VaeException.setting("a conv model needs height and width divisible by 4 (two stride-2 layers),"
          + " got " + image + "; use architecture mlp for other sizes", "architecture");
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
