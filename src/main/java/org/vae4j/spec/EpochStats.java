package org.vae4j.spec;

/**
 * What one epoch measured.
 *
 * @param epoch 1-based
 * @param train averages over the epoch's training batches (training-path batch norm, weights changing)
 * @param test averages over the test set after the epoch (inference path, sampled z, KL weight 1)
 * @param klWeight the KL weight in force at the epoch's last step
 * @param learningRate the learning rate of the epoch's last step
 * @param imagesPerSecond training throughput (test evaluation excluded)
 * @param seconds wall time of the training part of the epoch
 */
public record EpochStats(int epoch, Evaluation train, Evaluation test, double klWeight, double learningRate,
    double imagesPerSecond, double seconds) {}
