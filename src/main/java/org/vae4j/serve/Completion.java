package org.vae4j.serve;

import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.types.TInt64;
import org.vae4j.contract.Contract;
import org.vae4j.tf.Tensors;

/**
 * {@link Vae#complete}'s work on checked inputs: every observed input repeated once per completion, one call of
 * the sample signature (which draws one prior code per condition row with the seed), and the images regrouped per
 * input. One call keeps the noise a function of (seed, inputs, count) alone.
 */
final class Completion {
  private Completion() {}

  static float[][][] draw(SignatureRunner runner, float[][] partials, float[][] masks, int samplesPerInput,
      long seed, int[] shape) {
    float[][] repeated = new float[partials.length * samplesPerInput][];
    float[][] repeatedMasks = masks == null ? null : new float[repeated.length][];
    for (int i = 0; i < repeated.length; i++) {
      repeated[i] = partials[i / samplesPerInput];
      if (masks != null) {
        repeatedMasks[i] = masks[i / samplesPerInput];
      }
    }
    float[][][] out = new float[partials.length][samplesPerInput][];
    if (repeated.length == 0) {
      return out;
    }
    Vae.Samples drawn = draw(runner, repeated, repeatedMasks, seed, shape);
    for (int i = 0; i < repeated.length; i++) {
      out[i / samplesPerInput][i % samplesPerInput] = drawn.images()[i];
    }
    return out;
  }

  /** One call of the sample signature: one prior code per checked condition row, decoded under it. */
  static Vae.Samples draw(SignatureRunner runner, float[][] conditions, float[][] masks, long seed, int[] shape) {
    try (Tensor c = Tensors.rows(conditions, shape[0], shape[1], shape[2]);
        Tensor m = masks == null ? null : Tensors.rows(masks, shape[0], shape[1], shape[2]);
        TInt64 s = TInt64.scalarOf(seed)) {
      return runner.sample(m == null ? Map.of(Contract.CONDITION, c, Contract.SEED, s)
          : Map.of(Contract.CONDITION, c, Contract.MASK, m, Contract.SEED, s), conditions.length);
    }
  }
}
