package org.vae4j.serve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.types.TInt64;
import org.vae4j.contract.Contract;
import org.vae4j.contract.Given;

/**
 * {@link Vae#complete}'s work on checked inputs: every observed input repeated once per completion, one call of
 * the sample signature (which draws one prior code per condition row with the seed), and the images regrouped per
 * input. One call keeps the noise a function of (seed, inputs, count) alone.
 */
final class Completion {
  private Completion() {}

  static float[][][] draw(SignatureRunner runner, Given.Feed inputs, int samplesPerInput, long seed) {
    float[][][] out = new float[inputs.count()][samplesPerInput][];
    if (inputs.count() == 0) {
      return out;
    }
    Vae.Samples drawn = draw(runner, inputs.repeat(samplesPerInput), seed);
    for (int i = 0; i < drawn.images().length; i++) {
      out[i / samplesPerInput][i % samplesPerInput] = drawn.images()[i];
    }
    return out;
  }

  /** One call of the sample signature: one prior code per checked observed input, decoded under it. */
  static Vae.Samples draw(SignatureRunner runner, Given.Feed inputs, long seed) {
    List<Tensor> owned = new ArrayList<>();
    try {
      Map<String, Tensor> feeds = new HashMap<>();
      runner.put(feeds, inputs, owned);
      TInt64 s = TInt64.scalarOf(seed);
      owned.add(s);
      feeds.put(Contract.SEED, s);
      return runner.sample(feeds, inputs.count());
    } finally {
      owned.forEach(Tensor::close);
    }
  }
}
