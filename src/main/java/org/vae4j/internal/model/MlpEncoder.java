package org.vae4j.internal.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.VaeSpec;

/**
 * The classic fully connected encoder (Kingma and Welling 2014): the flattened image through dense + ReLU layers
 * of the {@code --hidden} sizes, then two dense heads, the mean and the raw stddev (a log-variance by default).
 *
 * <pre>
 * images [N, H, W, C] -> flatten [N, HWC] (+ one-hot label of a conditional model: [N, HWC + classes])
 *   dense h1 -> ReLU, ..., dense hk -> ReLU
 *   mean = dense z;  raw = dense z  -> stddev = exp(raw / 2) (or softplus)
 * </pre>
 */
final class MlpEncoder {
  private MlpEncoder() {}

  public static Posterior build(Layers l, Operand<TFloat32> images, Operand<TFloat32> condition, VaeSpec spec) {
    Ops tf = l.tf();
    int width = spec.image().size();
    Operand<TFloat32> h = Condition.append(tf, tf.reshape(images, tf.constant(new int[] {-1, width})),
        condition);
    int[] hidden = spec.hidden();
    for (int i = 0; i < hidden.length; i++) {
      h = l.relu(l.dense("encoder.dense" + (i + 1), h, hidden[i], Layers.Bias.LEARNED));
    }
    Operand<TFloat32> mean = l.dense("encoder.mean", h, spec.latentDim(), Layers.Bias.LEARNED);
    Operand<TFloat32> raw = l.dense("encoder.stddev", h, spec.latentDim(), Layers.Bias.LEARNED);
    return Posterior.of(spec.stddev(), tf, mean, raw);
  }
}
