package org.vae4j.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.vae4j.model.Parameters;

/**
 * Adam (Kingma and Ba, 2015) from TensorFlow's raw {@code ApplyAdam} op.
 *
 * <p>The bias corrections beta1^t and beta2^t are fed with every step, computed from the step number the trainer
 * owns, instead of living in variables the graph updates: tensorflow-framework 1.0.0's Adam updates its power
 * variables without ordering them against {@code ApplyAdam}, so a first step may use beta^2 instead of beta. Here
 * the step is data, and step t always uses beta^t.
 *
 * <p>Slots are variables named {@code <variable>-adam-m} and {@code <variable>-adam-v}, saved in training
 * checkpoints and absent from exports.
 */
public final class Adam {
  private final Ops tf;
  private final Parameters parameters;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;

  public Adam(Parameters parameters, float beta1, float beta2, float epsilon) {
    this.tf = parameters.tf();
    this.parameters = parameters;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta1Power = tf.withName("adam_beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.withName("adam_beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  /**
   * One op that applies the gradients to their variables and then runs nothing else.
   *
   * @param gradients gradients of the loss, one per variable, in the same order
   * @param before ops that must finish before any variable changes: every op that reads a variable in the
   *     forward or backward pass is upstream of a gradient, and the updates are in place, so waiting for all
   *     gradients (plus these) keeps a step from seeing half-updated weights
   */
  public Op minimize(List<Variable<TFloat32>> variables, Output<?>[] gradients, List<Op> before, String name) {
    List<Op> ready = new ArrayList<>(before);
    for (Output<?> g : gradients) {
      ready.add(tf.identity(g));
    }
    Ops ordered = tf.withControlDependencies(ready);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      String name0 = v.op().name();
      Shape shape = parameters.shape(name0);
      Variable<TFloat32> m = parameters.get(name0 + "-adam-m", shape, new Parameters.Constant(0f), false);
      Variable<TFloat32> s = parameters.get(name0 + "-adam-v", shape, new Parameters.Constant(0f), false);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> grad = (Operand<TFloat32>) gradients[i];
      updates.add(ordered.train.applyAdam(v, m, s, beta1Power, beta2Power, learningRate, tf.constant(beta1),
          tf.constant(beta2), tf.constant(epsilon), grad));
    }
    return tf.withControlDependencies(updates).withName(name).noOp();
  }

  /**
   * Feeds step {@code step} (1 for the first update) with learning rate {@code lr}; returns the tensors to close
   * after the run.
   */
  public List<Tensor> feed(Session.Runner runner, long step, float lr) {
    if (step < 1) {
      throw new IllegalArgumentException("Adam steps count from 1");
    }
    List<Tensor> fed = new ArrayList<>(3);
    TFloat32 rate = TFloat32.scalarOf(lr);
    fed.add(rate);
    TFloat32 p1 = TFloat32.scalarOf((float) Math.pow(beta1, step));
    fed.add(p1);
    TFloat32 p2 = TFloat32.scalarOf((float) Math.pow(beta2, step));
    fed.add(p2);
    runner.feed(learningRate, rate).feed(beta1Power, p1).feed(beta2Power, p2);
    return fed;
  }
}
