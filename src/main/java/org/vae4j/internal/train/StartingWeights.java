package org.vae4j.internal.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;
import org.vae4j.VaeException;
import org.vae4j.spec.Weights;

/**
 * Copies a trained model's weights and batch-norm statistics into a new training session, the start of a
 * fine-tuning run. Only the model's own variables are read (not optimizer slots nor averages, which start fresh),
 * by their names in the file: a SavedModel exported from averaged weights stores them as {@code <name>-ema}.
 */
final class StartingWeights {
  private StartingWeights() {}

  static void restore(Session session, TrainingGraph g, Path prefix, Weights stored) {
    Ops tf = g.parameters.tf();
    List<String> names = g.modelVariables;
    String[] inFile = new String[names.size()];
    List<Class<? extends TType>> types = new ArrayList<>(Collections.nCopies(names.size(), TFloat32.class));
    for (int i = 0; i < inFile.length; i++) {
      Variable<TFloat32> v = g.parameters.all().get(names.get(i));
      inFile[i] = names.get(i) + (g.parameters.trainable().contains(v) ? stored.suffix() : "");
    }
    String[] whole = new String[inFile.length];
    java.util.Arrays.fill(whole, ""); // each tensor whole, no slice
    Restore read = tf.train.restore(tf.constant(prefix.toString()), tf.constant(StdArrays.ndCopyOf(inFile)),
        tf.constant(StdArrays.ndCopyOf(whole)), types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < inFile.length; i++) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> value = (Operand<TFloat32>) read.tensors().get(i);
      assigns.add(tf.assign(g.parameters.all().get(names.get(i)), value));
    }
    Op all = tf.withControlDependencies(assigns).noOp();
    try {
      session.runner().addTarget(all).run().close();
    } catch (RuntimeException e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new VaeException("cannot read the weights to start from in " + prefix + ": " + why, e);
    }
    if (g.weightAverage != null) {
      // the average starts equal to the weights it averages, as in a run from scratch
      session.runner().addTarget(g.weightAverage.init).run().close();
    }
  }
}
