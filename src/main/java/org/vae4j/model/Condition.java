package org.vae4j.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.vae4j.contract.Observation;

/**
 * The condition of a conditional VAE as the networks read it: a row per image, appended to a layer's input (the
 * encoder's flattened features, the decoder's z). For a label-conditioned model the row is the one-hot label; for
 * a partial-input model the observed pixel values ({@link #observed}). A {@code null} condition is an
 * unconditional model, and every method then returns its input unchanged, so the unconditional graphs are exactly
 * the ones they were.
 */
public final class Condition {
  private Condition() {}

  /**
   * The condition rows of a model of {@code spec}: the one-hot {@code labels} of a label-conditioned model, the
   * observed values of {@code partials} [N, H, W, C] of a partial-input one, null for an unconditional one.
   */
  public static Operand<TFloat32> of(Ops tf, VaeSpec spec, Operand<TInt32> labels, Operand<TFloat32> partials) {
    if (spec.conditional()) {
      return oneHot(tf, labels, spec.classes());
    }
    return spec.partial() ? observed(tf, partials, spec.observe(), spec.image()) : null;
  }

  /**
   * A partial-input model's condition: the values {@code o} observes of {@code images} [N, H, W, C], as rows
   * [N, observed] (the values at other positions are never read, so they cannot change anything).
   */
  public static Operand<TFloat32> observed(Ops tf, Operand<TFloat32> images, Observation o, ImageShape s) {
    Operand<TFloat32> rows = tf.reshape(images, tf.constant(new int[] {-1, s.size()}));
    return tf.gather(rows, tf.constant(o.indices(s.height(), s.width(), s.channels())), tf.constant(1));
  }

  /**
   * One-hot rows [N, classes] of int labels [N]. A label outside [0, classes) stops the graph with an error that
   * names the range (TensorFlow's one-hot would quietly give a row of zeros, a condition never trained on).
   */
  public static Operand<TFloat32> oneHot(Ops tf, Operand<TInt32> labels, int classes) {
    Operand<org.tensorflow.types.TBool> inRange = tf.reduceAll(tf.math.logicalAnd(
        tf.math.greaterEqual(labels, tf.constant(0)), tf.math.less(labels, tf.constant(classes))),
        tf.constant(0));
    var check = tf.assertThat(inRange, List.of(tf.constant("label must be between 0 and " + (classes - 1))));
    Operand<TInt32> checked = tf.withControlDependencies(List.of(check)).identity(labels);
    return tf.oneHot(checked, tf.constant(classes), tf.constant(1f), tf.constant(0f));
  }

  /** {@code x} [N, d] with the condition [N, c] appended: [N, d + c]; {@code x} when there is none. */
  public static Operand<TFloat32> append(Ops tf, Operand<TFloat32> x, Operand<TFloat32> condition) {
    return condition == null ? x : tf.concat(List.of(x, condition), tf.constant(1));
  }

  /**
   * The condition of each image repeated once per Monte Carlo sample, to match codes made with noise {@code eps}
   * [N or 1, S, latentDim] ({@link Objective#reparameterize}: image n's codes are rows n * S .. n * S + S - 1).
   */
  public static Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> condition, Operand<TFloat32> eps) {
    if (condition == null) {
      return null;
    }
    Operand<TInt32> samples = tf.slice(tf.shape(eps), tf.constant(new int[] {1}), tf.constant(new int[] {1}));
    Operand<TInt32> multiples = tf.concat(List.of(tf.constant(new int[] {1}), samples, tf.constant(new int[] {1})),
        tf.constant(0));
    int width = Layers.size(condition, 1, "condition");
    return tf.reshape(tf.tile(tf.expandDims(condition, tf.constant(1)), multiples),
        tf.constant(new int[] {-1, width}));
  }
}
