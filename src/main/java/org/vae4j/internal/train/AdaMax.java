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
 * AdaMax (Kingma and Ba, 2015, section 7.1), Adam with the infinity norm: m = b1 m + (1 - b1) g, u = max(b2 u,
 * |g|), w -= lr / (1 - b1^t) m / (u + eps); from TensorFlow's raw {@code ApplyAdaMax} op, with b1^t fed from the
 * trainer's step count as {@link Adam} does. The IAF and Sylvester-flow VAE recipes train with it. Slots:
 * {@code <variable>-adamax-m}, {@code <variable>-adamax-u}.
 */
final class AdaMax extends GraphOptimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final Placeholder<TFloat32> beta1Power;

  public AdaMax(Parameters parameters, float beta1, float beta2, float epsilon) {
    super(parameters);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    beta1Power = tf.withName("adamax_beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  @Override
  protected Op apply(Ops ops, Variable<TFloat32> v, Operand<TFloat32> g, Operand<TFloat32> lr) {
    return ops.train.applyAdaMax(v, slot(v, "adamax-m"), slot(v, "adamax-u"), beta1Power, lr, tf.constant(beta1),
        tf.constant(beta2), tf.constant(epsilon), g);
  }

  @Override
  public List<Tensor> feed(Session.Runner runner, long step, float lr) {
    List<Tensor> fed = super.feed(runner, step, lr);
    TFloat32 p1 = TFloat32.scalarOf((float) Math.pow(beta1, step));
    fed.add(p1);
    runner.feed(beta1Power, p1);
    return fed;
  }
}
