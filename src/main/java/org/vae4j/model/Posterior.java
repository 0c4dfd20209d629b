package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The encoder's q(z|x) = N(mean, diag(stddev^2)), both [N, latentDim]. */
public record Posterior(Operand<TFloat32> mean, Operand<TFloat32> stddev) {}
