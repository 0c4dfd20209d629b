package org.vae4j.internal.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.vae4j.internal.model.Parameters;

/**
 * Adam (Kingma and Ba, 2015) from TensorFlow's raw {@code ApplyAdam} op.
 *
 * <p>The bias corrections beta1^t and beta2^t are fed with every step, computed from the step number the trainer
 * owns, instead of living in variables the graph updates: tensorflow-framework 1.0.0's Adam updates its power
 * variables without ordering them against {@code ApplyAdam}, so a first step may use beta^2 instead of beta. Here
 * the step is data, and step t always uses beta^t. Slots: {@code <variable>-adam-m}, {@code <variable>-adam-v}.
 */
final class Adam extends GraphOptimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;

  public Adam(Parameters parameters, float beta1, float beta2, float epsilon) {
    super(parameters);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    beta1Power = tf.withName("adam_beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.withName("adam_beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  @Override
  protected Op apply(Ops ops, Variable<TFloat32> v, Operand<TFloat32> g, Operand<TFloat32> lr) {
    return ops.train.applyAdam(v, slot(v, "adam-m"), slot(v, "adam-v"), beta1Power, beta2Power, lr,
        tf.constant(beta1), tf.constant(beta2), tf.constant(epsilon), g);
  }

  @Override
  public List<Tensor> feed(Session.Runner runner, long step, float lr) {
    List<Tensor> fed = super.feed(runner, step, lr);
    TFloat32 p1 = TFloat32.scalarOf((float) Math.pow(beta1, step));
    fed.add(p1);
    TFloat32 p2 = TFloat32.scalarOf((float) Math.pow(beta2, step));
    fed.add(p2);
    runner.feed(beta1Power, p1).feed(beta2Power, p2);
    return fed;
  }
}
