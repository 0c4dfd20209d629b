package org.vae4j.internal.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.Weights;

/**
 * The variables of one graph, created once by name and shared by every path that asks for them (the training path
 * and the inference path of batch norm, the encoder of several signatures).
 *
 * <p>Every variable gets an explicit flat name such as {@code encoder.conv1.kernel}: checkpoints and SavedModels
 * match variables by name, so names must not depend on build order (TF Java renames repeated sub-scopes).
 * Initial values come from stateless random ops seeded by (seed, hash of the name), so a run is reproducible and
 * two same-shaped variables never start equal.
 */
public final class Parameters {
  /** How a variable starts. */
  public sealed interface Init {}

  public record Constant(float value) implements Init {}

  /** Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)), the default of TF1 dense and conv layers. */
  public record GlorotUniform(long fanIn, long fanOut) implements Init {}

  private final Ops tf;
  private final long seed;
  private final boolean initialize;
  /** Added to the names of trainable variables (the checkpoint's names of the weights this graph reads). */
  private final String trainableSuffix;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Map<String, Shape> shapes = new LinkedHashMap<>();
  private final List<Variable<TFloat32>> trainable = new ArrayList<>();
  private final List<Op> initializers = new ArrayList<>();

  /** Variables with initializers seeded by {@code seed}, for a graph that trains from scratch. */
  public Parameters(Ops tf, long seed) {
    this(tf, seed, true, Weights.LAST);
  }

  private Parameters(Ops tf, long seed, boolean initialize, Weights weights) {
    this.tf = tf;
    this.seed = seed;
    this.initialize = initialize;
    this.trainableSuffix = weights.suffix();
  }

  /**
   * Variables without initializer ops, for a graph whose values always come from a checkpoint (the serving graph:
   * it stays free of ops that only matter before training).
   */
  public static Parameters restoredOnly(Ops tf) {
    return restoredOnly(tf, Weights.LAST);
  }

  /** The same, reading the trainable weights of a checkpoint as {@code weights} says. */
  public static Parameters restoredOnly(Ops tf, Weights weights) {
    return new Parameters(tf, 0L, false, weights);
  }

  public Ops tf() {
    return tf;
  }

  /**
   * The variable called {@code name}, created with the given shape and initial value the first time it is asked
   * for.
   *
   * @throws IllegalStateException when the name exists with another shape
   */
  public Variable<TFloat32> get(String name, Shape shape, Init init, boolean isTrainable) {
    Variable<TFloat32> existing = variables.get(name);
    if (existing != null) {
      if (!shapes.get(name).equals(shape)) {
        throw new IllegalStateException("variable " + name + " exists with shape " + shapes.get(name)
            + ", asked for " + shape);
      }
      return existing;
    }
    Variable<TFloat32> v = tf.withName(isTrainable ? name + trainableSuffix : name).variable(shape, TFloat32.class);
    variables.put(name, v);
    shapes.put(name, shape);
    if (isTrainable) {
      trainable.add(v);
    }
    if (initialize) {
      initializers.add(tf.assign(v, initialValue(name, shape, init)));
    }
    return v;
  }

  private Operand<TFloat32> initialValue(String name, Shape shape, Init init) {
    if (init instanceof Constant c) {
      return tf.fill(tf.constant(toInts(shape)), tf.constant(c.value()));
    }
    GlorotUniform g = (GlorotUniform) init;
    float limit = (float) Math.sqrt(6.0 / (g.fanIn() + g.fanOut()));
    Operand<TFloat32> unit = tf.random.statelessRandomUniform(tf.constant(toInts(shape)),
        tf.constant(new long[] {seed, name.hashCode()}));
    return tf.math.sub(tf.math.mul(unit, tf.constant(2 * limit)), tf.constant(limit));
  }

  private static int[] toInts(Shape shape) {
    int[] dims = new int[shape.numDimensions()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = (int) shape.get(i);
    }
    return dims;
  }

  /** Variables trained by the optimizer, in creation order. */
  public List<Variable<TFloat32>> trainable() {
    return Collections.unmodifiableList(trainable);
  }

  /** Every variable by name, in creation order. */
  public Map<String, Variable<TFloat32>> all() {
    return Collections.unmodifiableMap(variables);
  }

  public Shape shape(String name) {
    return shapes.get(name);
  }

  /** Ops that give every variable its initial value; run them once in a new session. */
  public List<Op> initializers() {
    return Collections.unmodifiableList(initializers);
  }

  /** Number of trainable scalars. */
  public long trainableCount() {
    long n = 0;
    for (Map.Entry<String, Variable<TFloat32>> e : variables.entrySet()) {
      if (trainable.contains(e.getValue())) {
        n += shapes.get(e.getKey()).size();
      }
    }
    return n;
  }
}
