package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.VaeException;
import org.vae4j.util.Choice;

/** How the encoder's raw second head becomes a standard deviation. */
public enum StddevParameterization implements Choice {
  /** stddev = 1e-6 + softplus(raw): the conv design's choice; grows linearly, never exactly zero. */
  SOFTPLUS,
  /** raw is log(variance): stddev = exp(raw / 2), the classic MLP VAE's choice. */
  EXP;

  /** Keeps the softplus stddev away from zero, so log(stddev) in the KL stays finite. */
  static final float MIN_STDDEV = 1e-6f;

  /** The posterior with mean {@code mean} and raw head {@code raw}; log(stddev) is computed stably per choice. */
  Posterior posterior(Ops tf, Operand<TFloat32> mean, Operand<TFloat32> raw) {
    return switch (this) {
      case SOFTPLUS -> {
        Operand<TFloat32> stddev = tf.math.add(tf.math.softplus(raw), tf.constant(MIN_STDDEV));
        yield new Posterior(mean, stddev, tf.math.log(stddev));
      }
      case EXP -> {
        Operand<TFloat32> logStddev = tf.math.mul(raw, tf.constant(0.5f));
        yield new Posterior(mean, tf.math.exp(logStddev), logStddev);
      }
    };
  }

  /**
   * The parameterization labelled {@code text}.
   *
   * @throws VaeException naming {@code stddev} when {@code text} is none of the labels
   */
  public static StddevParameterization parse(String text) {
    return Choice.parse(StddevParameterization.class, text, "stddev");
  }
}
