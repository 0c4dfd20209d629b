package org.vae4j.internal.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.contract.Observation;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.VaeSpec;

/**
 * The condition of a conditional VAE as the networks read it: a row per image, appended to a layer's input (the
 * encoder's flattened features, the decoder's z). For a label-conditioned model the row is the one-hot label; for
 * a partial-input model the observed pixel values ({@link #observed}), or a random-mask model's masked image and
 * mask ({@link #masked}). A {@code null} condition is an unconditional model, and every method then returns its
 * input unchanged, so the unconditional graphs are exactly the ones they were.
 */
public final class Condition {
  /**
   * Offsets of the mask draws' seed pairs from the step's noise seed (the codes' noise uses the seed as is). The
   * seed's second half counts steps (or evaluation batches), so the offsets lie 2^44 apart: no step's draw can
   * reuse another step's seed.
   */
  private static final long MASK_IMAGE_STREAM = 1L << 44;
  private static final long MASK_PIXEL_STREAM = 2L << 44;

  private Condition() {}

  /**
   * The condition rows of a model of {@code spec}: the one-hot {@code labels} of a label-conditioned model, the
   * observed values of {@code partials} [N, H, W, C] of a partial-input one (with a random-mask model's {@code
   * masks}, the same shape; null for other models), null for an unconditional one.
   */
  public static Operand<TFloat32> of(Ops tf, VaeSpec spec, Operand<TInt32> labels, Operand<TFloat32> partials,
      Operand<TFloat32> masks) {
    if (spec.labelled()) {
      return oneHot(tf, labels, spec.classes());
    }
    if (!spec.partial()) {
      return null;
    }
    return spec.masked() ? masked(tf, partials, masks, spec.image()) : observed(tf, partials, spec.observe(),
        spec.image());
  }

  /**
   * A random-mask model's condition: {@code images} times their {@code masks} (so unobserved values read as 0
   * whatever they were, NaN and infinities included: MulNoNan) and the masks themselves (so an observed 0 differs
   * from an unobserved value), as rows [N, 2 x image size].
   */
  static Operand<TFloat32> masked(Ops tf, Operand<TFloat32> images, Operand<TFloat32> masks, ImageShape s) {
    Operand<TInt32> rows = tf.constant(new int[] {-1, s.size()});
    return tf.concat(List.of(tf.reshape(tf.math.mulNoNan(images, masks), rows), tf.reshape(masks, rows)),
        tf.constant(1));
  }

  /**
   * A random-mask model's masks [N, H, W, C] drawn in the graph from {@code seed} [2], as {@link
   * org.vae4j.contract.Observation#RANDOM_MASK} says: per image, with probability 1/2 scattered pixels (a rate r
   * uniform in [0, 1), each pixel observed with probability r), else a rectangle (rows and columns each between
   * two indices drawn uniformly from 0..H and 0..W) that is the observed part or, equally often, the hidden one;
   * every channel of a pixel alike. Every value is 0 or 1, from float products of 0s and 1s.
   */
  public static Operand<TFloat32> drawMasks(Ops tf, Operand<TInt32> batch, ImageShape s, Operand<TInt64> seed) {
    Operand<TInt32> n = tf.reshape(batch, tf.constant(new int[] {1}));
    // six uniforms per image [N, 1, 1, 1] each: kind, rate, two row bounds, two column bounds
    List<Operand<TFloat32>> u = new java.util.ArrayList<>();
    tf.split(tf.constant(3), tf.random.statelessRandomUniform(tf.concat(List.of(n,
        tf.constant(new int[] {1, 1, 6})), tf.constant(0)), tf.math.add(seed, tf.constant(new long[] {0,
        MASK_IMAGE_STREAM})), TFloat32.class), 6L).forEach(o -> u.add(o));
    Operand<TFloat32> pixel = tf.random.statelessRandomUniform(tf.concat(List.of(n,
        tf.constant(new int[] {s.height(), s.width(), 1})), tf.constant(0)),
        tf.math.add(seed, tf.constant(new long[] {0, MASK_PIXEL_STREAM})), TFloat32.class);
    Operand<TFloat32> scattered = flag(tf, tf.math.less(pixel, u.get(1)));
    Operand<TFloat32> inside = tf.math.mul(
        between(tf, index(tf, s.height(), new int[] {1, s.height(), 1, 1}), u.get(2), u.get(3), s.height()),
        between(tf, index(tf, s.width(), new int[] {1, 1, s.width(), 1}), u.get(4), u.get(5), s.width()));
    Operand<TFloat32> one = tf.constant(1f);
    // kind in [0, 1/2): scattered; [1/2, 3/4): the rectangle observed; [3/4, 1): the rectangle hidden
    Operand<TFloat32> isScattered = flag(tf, tf.math.less(u.get(0), tf.constant(0.5f)));
    Operand<TFloat32> showsInside = flag(tf, tf.math.less(u.get(0), tf.constant(0.75f)));
    Operand<TFloat32> block = tf.math.add(tf.math.mul(showsInside, inside),
        tf.math.mul(tf.math.sub(one, showsInside), tf.math.sub(one, inside)));
    Operand<TFloat32> pixels = tf.math.add(tf.math.mul(isScattered, scattered),
        tf.math.mul(tf.math.sub(one, isScattered), block));
    return tf.math.mul(pixels, tf.ones(tf.constant(new int[] {1, 1, 1, s.channels()}), TFloat32.class));
  }

  private static Operand<TFloat32> flag(Ops tf, Operand<TBool> b) {
    return tf.dtypes.cast(b, TFloat32.class);
  }

  /** 0 .. size - 1 as floats, shaped {@code shape} for broadcasting along one image axis. */
  private static Operand<TFloat32> index(Ops tf, int size, int[] shape) {
    return tf.reshape(tf.dtypes.cast(tf.range(tf.constant(0), tf.constant(size), tf.constant(1)), TFloat32.class),
        tf.constant(shape));
  }

  /**
   * 1 where {@code idx} lies in [lo, hi), the bounds floor(u * (size + 1)) of the uniforms {@code a} and {@code b}
   * in either order.
   */
  private static Operand<TFloat32> between(Ops tf, Operand<TFloat32> idx, Operand<TFloat32> a, Operand<TFloat32> b,
      int size) {
    Operand<TFloat32> scale = tf.constant((float) (size + 1));
    Operand<TFloat32> x = tf.math.floor(tf.math.mul(a, scale));
    Operand<TFloat32> y = tf.math.floor(tf.math.mul(b, scale));
    return tf.math.mul(flag(tf, tf.math.greaterEqual(idx, tf.math.minimum(x, y))),
        flag(tf, tf.math.less(idx, tf.math.maximum(x, y))));
  }

  /**
   * {@code masks} with a check that stops the graph unless every value is 0 or 1 (anything else would blend an
   * observed value with nothing, a condition never trained on).
   */
  public static Operand<TFloat32> checkedMasks(Ops tf, Operand<TFloat32> masks) {
    Operand<TBool> binary = tf.reduceAll(tf.math.logicalOr(tf.math.equal(masks, tf.constant(0f)),
        tf.math.equal(masks, tf.constant(1f))), tf.range(tf.constant(0), tf.rank(masks), tf.constant(1)));
    var check = tf.assertThat(binary, List.of(tf.constant("mask values must be 0 or 1")));
    return tf.withControlDependencies(List.of(check)).identity(masks);
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
    Operand<TBool> inRange = tf.reduceAll(tf.math.logicalAnd(
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
