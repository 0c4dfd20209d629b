package org.vae4j.internal.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Shapes as graph values, for ops whose size depends on the batch fed at run time. */
public final class Shapes {
  private Shapes() {}

  /** The shape [rows, cols] as a graph value. */
  public static Operand<TInt32> shape(Ops tf, Operand<TInt32> rows, int... cols) {
    return tf.concat(List.of(tf.reshape(rows, tf.constant(new int[] {1})), tf.constant(cols)), tf.constant(0));
  }

  /** The number of images in a [N, ...] batch, as a scalar. */
  public static Operand<TInt32> batchSize(Ops tf, Operand<TFloat32> batch) {
    return tf.reshape(tf.slice(tf.shape(batch), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
        tf.constant(new int[0]));
  }
}
