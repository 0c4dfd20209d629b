package org.vae4j.train;

/**
 * What one epoch measured.
 *
 * @param epoch 1-based
 * @param train averages over the epoch's training batches (training-path batch norm, weights changing)
 * @param test averages over the test set after the epoch (inference path, sampled z)
 * @param imagesPerSecond training throughput (test evaluation excluded)
 * @param seconds wall time of the training part of the epoch
 */
public record EpochStats(int epoch, Evaluation train, Evaluation test, double imagesPerSecond, double seconds) {}
