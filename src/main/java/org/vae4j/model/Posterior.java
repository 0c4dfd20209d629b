package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The encoder's q(z|x) = N(mean, diag(stddev^2)), all [N, latentDim]. {@code logStddev} comes straight from the
 * head where it can (the log-variance parameterization: raw / 2), so the KL stays finite where stddev underflows;
 * the softplus stddev is bounded away from 0 and takes its log.
 */
public record Posterior(Operand<TFloat32> mean, Operand<TFloat32> stddev, Operand<TFloat32> logStddev) {}
