package org.vae4j.internal.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.StddevParameterization;

/**
 * The encoder's q(z|x) = N(mean, diag(stddev^2)), all [N, latentDim]. {@code logStddev} comes straight from the
 * head where it can (the log-variance parameterization: raw / 2), so the KL stays finite where stddev underflows;
 * the softplus stddev is bounded away from 0 and takes its log.
 */
public record Posterior(Operand<TFloat32> mean, Operand<TFloat32> stddev, Operand<TFloat32> logStddev) {
  /** Keeps the softplus stddev away from zero, so log(stddev) in the KL stays finite. */
  static final float MIN_STDDEV = 1e-6f;

  /** The posterior with mean {@code mean} and raw head {@code raw}; log(stddev) is computed stably per choice. */
  static Posterior of(StddevParameterization choice, Ops tf, Operand<TFloat32> mean, Operand<TFloat32> raw) {
    return switch (choice) {
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
}
