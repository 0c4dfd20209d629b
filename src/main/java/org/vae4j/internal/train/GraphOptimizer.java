package org.vae4j.internal.train;

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
import org.vae4j.internal.model.Parameters;
import org.vae4j.spec.OptimizerConfig;

/**
 * An optimizer built from TensorFlow's raw {@code Apply*} ops. The learning rate is fed with every step, so any
 * schedule is plain Java; slots are variables named {@code <variable>-<slot>}, saved in training checkpoints and
 * absent from exports.
 *
 * <p>All updates wait for every gradient (and the ops passed as {@code before}): updates are in place, and a
 * gradient op that still had to read a weight would otherwise see it half-updated.
 */
public abstract class GraphOptimizer {
  protected final Ops tf;
  private final Parameters parameters;
  private final Placeholder<TFloat32> learningRate;

  protected GraphOptimizer(Parameters parameters) {
    this.tf = parameters.tf();
    this.parameters = parameters;
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  /** The optimizer a config asks for. */
  public static GraphOptimizer create(OptimizerConfig config, Parameters parameters) {
    return switch (config.kind()) {
      case ADAM -> new Adam(parameters, config.beta1(), config.beta2(), config.epsilon());
      case ADAMAX -> new AdaMax(parameters, config.beta1(), config.beta2(), config.epsilon());
      case SGD -> new Sgd(parameters);
      case MOMENTUM -> new Momentum(parameters, config.momentum());
      case RMSPROP -> new RmsProp(parameters, config.rho(), config.epsilon());
    };
  }

  /** One op that applies {@code gradients} (one per variable, same order) once everything in {@code before} ran. */
  public final Op minimize(List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients, List<Op> before,
      String name) {
    return minimize(variables, gradients, before, null, name);
  }

  /**
   * The same, but the updates run only when {@code ok} is true: each gradient goes through a Switch, and the apply
   * ops of a false step receive dead inputs and do not execute, so no variable and no slot changes.
   *
   * @param ok a boolean scalar, or null to always apply
   */
  public final Op minimize(List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients, List<Op> before,
      Operand<org.tensorflow.types.TBool> ok, String name) {
    List<Op> ready = new ArrayList<>(before);
    for (Operand<TFloat32> g : gradients) {
      ready.add(tf.identity(g));
    }
    Ops ordered = tf.withControlDependencies(ready);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Operand<TFloat32> g = ok == null ? gradients.get(i) : ordered.switchCond(gradients.get(i), ok).outputTrue();
      updates.add(apply(ordered, variables.get(i), g, learningRate));
    }
    return tf.withControlDependencies(updates).withName(name).noOp();
  }

  /** Gradients of {@code loss} as float operands, in the order of {@code variables}. */
  public static List<Operand<TFloat32>> gradients(org.tensorflow.Graph graph, Operand<TFloat32> loss,
      List<Variable<TFloat32>> variables) {
    Output<?>[] xs = new Output<?>[variables.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = variables.get(i).asOutput();
    }
    Output<?>[] dy = graph.addGradients(loss.asOutput(), xs);
    List<Operand<TFloat32>> out = new ArrayList<>(dy.length);
    for (Output<?> g : dy) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> f = (Operand<TFloat32>) g;
      out.add(f);
    }
    return out;
  }

  /** The update op of one variable, built on {@code ops} (which carries the ordering). */
  protected abstract Op apply(Ops ops, Variable<TFloat32> variable, Operand<TFloat32> gradient,
      Operand<TFloat32> learningRate);

  /** A zero-initialized slot variable of the same shape, named {@code <variable>-<suffix>}. */
  protected final Variable<TFloat32> slot(Variable<TFloat32> variable, String suffix) {
    String name = variable.op().name();
    return parameters.get(name + "-" + suffix, parameters.shape(name), new Parameters.Constant(0f), false);
  }

  /**
   * Feeds step {@code step} (1 for the first update) at learning rate {@code lr}; returns the tensors to close
   * after the run.
   */
  public List<Tensor> feed(Session.Runner runner, long step, float lr) {
    if (step < 1) {
      throw new IllegalArgumentException("optimizer steps count from 1");
    }
    List<Tensor> fed = new ArrayList<>(3);
    TFloat32 rate = TFloat32.scalarOf(lr);
    fed.add(rate);
    runner.feed(learningRate, rate);
    return fed;
  }

  /** Plain gradient descent: w -= lr * g. */
  static final class Sgd extends GraphOptimizer {
    Sgd(Parameters parameters) {
      super(parameters);
    }

    @Override
    protected Op apply(Ops ops, Variable<TFloat32> v, Operand<TFloat32> g, Operand<TFloat32> lr) {
      return ops.train.applyGradientDescent(v, lr, g);
    }
  }

  /** Heavy-ball momentum as TF applies it: a = m * a + g; w -= lr * a. */
  static final class Momentum extends GraphOptimizer {
    private final float momentum;

    Momentum(Parameters parameters, float momentum) {
      super(parameters);
      this.momentum = momentum;
    }

    @Override
    protected Op apply(Ops ops, Variable<TFloat32> v, Operand<TFloat32> g, Operand<TFloat32> lr) {
      return ops.train.applyMomentum(v, slot(v, "momentum"), lr, g, tf.constant(momentum));
    }
  }

  /** RMSProp: s = rho * s + (1 - rho) * g^2; w -= lr * g / sqrt(s + epsilon). Slots start at 0 (as Keras). */
  static final class RmsProp extends GraphOptimizer {
    private final float rho;
    private final float epsilon;

    RmsProp(Parameters parameters, float rho, float epsilon) {
      super(parameters);
      this.rho = rho;
      this.epsilon = epsilon;
    }

    @Override
    protected Op apply(Ops ops, Variable<TFloat32> v, Operand<TFloat32> g, Operand<TFloat32> lr) {
      return ops.train.applyRmsProp(v, slot(v, "rms-ms"), slot(v, "rms-mom"), lr, tf.constant(rho),
          tf.constant(0f), tf.constant(epsilon), g);
    }
  }
}
