package org.vae4j.internal.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.vae4j.internal.model.Parameters;

/**
 * An exponential moving average of the trainable weights (Polyak averaging): after every applied update,
 * average -= (1 - d) (average - weight), with d = min(decay, (1 + t) / (10 + t)) fed from the step count t (the
 * usual warm-up: early averages follow the weights closely). The averages are variables {@code <name>-ema},
 * saved in checkpoints so a resumed run continues them exactly, and start equal to the initial weights. For
 * evaluation and export the weights are swapped for the averages and back ({@code <name>-ema-backup} holds them
 * meanwhile).
 */
final class WeightAverage {
  final Placeholder<TFloat32> decay;
  /** Sets every average to its weight; run once after the weights are initialized. */
  final Op init;
  /** The update, after {@code after} and only when {@code ok}. */
  final Op update;
  private final Op useAverages;
  private final Op restoreWeights;
  private final float rate;

  WeightAverage(Parameters parameters, List<Variable<TFloat32>> weights, float rate, Op after, Operand<TBool> ok) {
    Ops tf = parameters.tf();
    this.rate = rate;
    decay = tf.withName("ema_decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    List<Op> inits = new ArrayList<>();
    List<Op> updates = new ArrayList<>();
    List<Op> backups = new ArrayList<>();
    List<Variable<TFloat32>> averages = new ArrayList<>();
    List<Variable<TFloat32>> saved = new ArrayList<>();
    Ops afterUpdate = tf.withControlDependencies(List.of(after));
    Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), decay);
    for (Variable<TFloat32> w : weights) {
      String name = w.op().name();
      Shape shape = w.shape();
      Variable<TFloat32> average = parameters.get(name + "-ema", shape, new Parameters.Constant(0f), false);
      Variable<TFloat32> backup = parameters.get(name + "-ema-backup", shape, new Parameters.Constant(0f), false);
      averages.add(average);
      saved.add(backup);
      inits.add(tf.assign(average, tf.identity(w)));
      Operand<TFloat32> now = afterUpdate.switchCond(afterUpdate.identity(w), ok).outputTrue();
      updates.add(afterUpdate.assignSub(average, tf.math.mul(keep, tf.math.sub(average, now))));
      backups.add(tf.assign(backup, tf.identity(w)));
    }
    init = tf.withControlDependencies(inits).withName("ema_init").noOp();
    update = tf.withControlDependencies(updates).withName("ema_update").noOp();
    Ops backedUp = tf.withControlDependencies(backups);
    List<Op> swaps = new ArrayList<>();
    List<Op> restores = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      swaps.add(backedUp.assign(weights.get(i), backedUp.identity(averages.get(i))));
      restores.add(tf.assign(weights.get(i), tf.identity(saved.get(i))));
    }
    useAverages = tf.withControlDependencies(swaps).withName("ema_use_averages").noOp();
    restoreWeights = tf.withControlDependencies(restores).withName("ema_restore_weights").noOp();
  }

  /** The decay fed at step {@code step} (the count of updates applied before this one). */
  float decayAt(long step) {
    return Math.min(rate, (1f + step) / (10f + step));
  }

  /** Runs {@code call} with the averages in the weights' place, then puts the weights back. */
  <T> T withAverages(Session session, Supplier<T> call) {
    session.runner().addTarget(useAverages).run().close();
    try {
      return call.get();
    } finally {
      session.runner().addTarget(restoreWeights).run().close();
    }
  }
}
