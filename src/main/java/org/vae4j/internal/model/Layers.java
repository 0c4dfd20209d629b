package org.vae4j.internal.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Layer builders over TensorFlow ops for one path through the network: the training path (batch norm with batch
 * statistics, moving averages updated as a side effect) or the inference path (batch norm with the moving
 * averages). Two {@code Layers} over one {@link Parameters} share every weight.
 *
 * <p>Activations are NHWC. The matrix-multiply and convolution builders also count the multiply-adds they add per
 * image (the usual FLOP convention: element-wise ops are left out), which {@code bench} turns into a FLOP rate.
 */
public final class Layers {
  /** Batch-norm defaults of TF1 {@code tf.layers.batch_normalization}. */
  static final float BN_MOMENTUM = 0.99f;
  static final float BN_EPSILON = 1e-3f;
  /** The slope {@code tf.nn.leaky_relu} uses by default. */
  static final float LEAKY_SLOPE = 0.2f;

  /** Which statistics batch norm normalizes by. */
  public enum Path {
    /** Batch statistics, with updates of the moving averages registered (the training graph). */
    TRAINING,
    /** The moving averages (evaluation and serving). */
    INFERENCE
  }

  /** Whether a dense or convolution layer adds a learned bias (not before batch norm: its offset does that). */
  public enum Bias { LEARNED, NONE }

  private final Ops tf;
  private final Parameters params;
  private final boolean training;
  /** Moving averages and the batch statistics they follow, turned into ops by {@link #statisticUpdates}. */
  private final List<Variable<TFloat32>> movingAverages = new ArrayList<>();
  private final List<Operand<TFloat32>> batchStatistics = new ArrayList<>();
  private long flopsPerImage;

  public Layers(Parameters params, Path path) {
    this.tf = params.tf();
    this.params = params;
    this.training = path == Path.TRAINING;
  }

  public Ops tf() {
    return tf;
  }

  public boolean training() {
    return training;
  }

  /** Assign ops that move batch norm's moving averages; run them with every training step. Call once. */
  public List<Op> statisticUpdates() {
    return statisticUpdates(x -> x);
  }

  /**
   * The same ops, with every batch statistic passed through {@code gate} first (a Switch that skips the update of
   * a step whose loss is not finite). Call once: each call builds new ops.
   */
  public List<Op> statisticUpdates(java.util.function.UnaryOperator<Operand<TFloat32>> gate) {
    List<Op> ops = new ArrayList<>(movingAverages.size());
    for (int i = 0; i < movingAverages.size(); i++) {
      ops.add(movingAverage(movingAverages.get(i), gate.apply(batchStatistics.get(i))));
    }
    return Collections.unmodifiableList(ops);
  }

  /** Floating-point operations of one image's forward pass through the layers built so far (2 per multiply-add). */
  public long forwardFlopsPerImage() {
    return flopsPerImage;
  }

  /** The size of {@code x}'s axis {@code axis}, which the graph must know when it is built. */
  static int size(Operand<TFloat32> x, int axis, String name) {
    Shape shape = x.shape();
    long n = axis < shape.numDimensions() ? shape.size(axis) : -1;
    if (n < 1) {
      throw new IllegalStateException("layer " + name + " needs its input's axis " + axis + " known when the graph"
          + " is built, got shape " + shape);
    }
    return Math.toIntExact(n);
  }

  /** x [N, in] times a kernel [in, units], plus a bias when {@code bias} says; in comes from x's shape. */
  public Operand<TFloat32> dense(String name, Operand<TFloat32> x, int units, Bias bias) {
    int in = size(x, 1, name);
    Variable<TFloat32> kernel = params.get(name + ".kernel", Shape.of(in, units),
        new Parameters.GlorotUniform(in, units), true);
    Operand<TFloat32> y = tf.linalg.matMul(x, kernel);
    flopsPerImage += 2L * in * units;
    return bias == Bias.LEARNED ? addBias(name, y, units) : y;
  }

  /** A k x k convolution with 'same' padding: [N, H, W, in] to [N, ceil(H/s), ceil(W/s), filters]. */
  public Operand<TFloat32> conv2d(String name, Operand<TFloat32> x, int filters, int k, int stride, Bias bias) {
    int inH = size(x, 1, name);
    int inW = size(x, 2, name);
    int in = size(x, 3, name);
    Variable<TFloat32> kernel = params.get(name + ".kernel", Shape.of(k, k, in, filters),
        new Parameters.GlorotUniform((long) k * k * in, (long) k * k * filters), true);
    Operand<TFloat32> y = tf.nn.conv2d(x, kernel, Arrays.asList(1L, (long) stride, (long) stride, 1L), "SAME");
    long outH = (inH + stride - 1) / stride;
    long outW = (inW + stride - 1) / stride;
    flopsPerImage += 2L * outH * outW * k * k * in * filters;
    return bias == Bias.LEARNED ? addBias(name, y, filters) : y;
  }

  /**
   * A transposed k x k convolution with 'same' padding: [N, H, W, in] to [N, H s, W s, filters], the gradient of a
   * forward convolution with respect to its input.
   */
  public Operand<TFloat32> conv2dTranspose(String name, Operand<TFloat32> x, int filters, int k, int stride,
      Bias bias) {
    int outH = size(x, 1, name) * stride;
    int outW = size(x, 2, name) * stride;
    int in = size(x, 3, name);
    // Conv2DBackpropInput's filter is laid out as the forward convolution's: [k, k, its in = our out, its out = our in].
    Variable<TFloat32> kernel = params.get(name + ".kernel", Shape.of(k, k, filters, in),
        new Parameters.GlorotUniform((long) k * k * in, (long) k * k * filters), true);
    Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> outputShape = tf.concat(List.of(batch, tf.constant(new int[] {outH, outW, filters})),
        tf.constant(0));
    Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outputShape, kernel, x,
        Arrays.asList(1L, (long) stride, (long) stride, 1L), "SAME");
    flopsPerImage += 2L * (outH / stride) * (outW / stride) * k * k * in * filters;
    return bias == Bias.LEARNED ? addBias(name, y, filters) : y;
  }

  private Operand<TFloat32> addBias(String name, Operand<TFloat32> y, int units) {
    Variable<TFloat32> b = params.get(name + ".bias", Shape.of(units), new Parameters.Constant(0f), true);
    return tf.nn.biasAdd(y, b);
  }

  /**
   * Batch normalization over the last axis of a [N, C] or [N, H, W, C] tensor, with a learned scale (gamma) and
   * offset (beta). Training normalizes by batch statistics and registers updates of the moving averages;
   * inference normalizes by the moving averages. The channels come from x's last axis.
   */
  public Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x) {
    int channels = size(x, x.shape().numDimensions() - 1, name);
    Variable<TFloat32> gamma = params.get(name + ".gamma", Shape.of(channels), new Parameters.Constant(1f), true);
    Variable<TFloat32> beta = params.get(name + ".beta", Shape.of(channels), new Parameters.Constant(0f), true);
    Variable<TFloat32> movingMean = params.get(name + ".moving_mean", Shape.of(channels),
        new Parameters.Constant(0f), false);
    Variable<TFloat32> movingVariance = params.get(name + ".moving_variance", Shape.of(channels),
        new Parameters.Constant(1f), false);
    // FusedBatchNormV3 takes only 4-D input: a dense activation [N, C] becomes [N, 1, 1, C].
    boolean flat = x.shape().numDimensions() == 2;
    Operand<TFloat32> x4 = flat ? tf.reshape(x, tf.constant(new int[] {-1, 1, 1, channels})) : x;
    FusedBatchNorm<TFloat32, TFloat32> bn;
    if (training) {
      Operand<TFloat32> none = tf.constant(new float[0]);
      bn = tf.nn.fusedBatchNorm(x4, gamma, beta, none, none, FusedBatchNorm.epsilon(BN_EPSILON),
          FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NHWC"));
      movingAverages.add(movingMean);
      batchStatistics.add(bn.batchMean());
      // The op's batch variance output is already Bessel-corrected (n / (n - 1), n = values per channel); TF1's
      // fused batch norm fed the same corrected value into its moving variance (correction "test only").
      movingAverages.add(movingVariance);
      batchStatistics.add(bn.batchVariance());
    } else {
      bn = tf.nn.fusedBatchNorm(x4, gamma, beta, movingMean, movingVariance, FusedBatchNorm.epsilon(BN_EPSILON),
          FusedBatchNorm.isTraining(false), FusedBatchNorm.dataFormat("NHWC"));
    }
    return flat ? tf.reshape(bn.y(), tf.constant(new int[] {-1, channels})) : bn.y();
  }

  /** moving -= (1 - momentum) * (moving - batch), the exponential moving average TF1 used. */
  private Op movingAverage(Variable<TFloat32> moving, Operand<TFloat32> batch) {
    return tf.assignSub(moving, tf.math.mul(tf.math.sub(moving, batch), tf.constant(1f - BN_MOMENTUM)));
  }

  public Operand<TFloat32> leakyRelu(Operand<TFloat32> x) {
    return tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(LEAKY_SLOPE));
  }

  public Operand<TFloat32> relu(Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }
}
