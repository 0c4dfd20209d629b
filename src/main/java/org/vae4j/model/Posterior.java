package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The encoder's q(z|x) = N(mean, diag(stddev^2)), all [N, latentDim]. {@code logStddev} is computed directly from
 * the encoder's head (not as log(stddev)), so the KL stays finite where stddev underflows.
 */
public record Posterior(Operand<TFloat32> mean, Operand<TFloat32> stddev, Operand<TFloat32> logStddev) {}
