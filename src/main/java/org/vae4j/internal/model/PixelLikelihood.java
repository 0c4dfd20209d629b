package org.vae4j.internal.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.VaeSpec;

/**
 * The decoder's p(x|z) as graph ops: pixel means from the decoder's raw output, and the per-image reconstruction
 * term log p(x|z) summed over pixels (for {@code mse}: minus the squared error, which is not a log-likelihood).
 *
 * <p>The raw output has k values per pixel and channel ({@link Likelihood#outputsPerChannel()}): logits for the
 * means, and for the learned Gaussian a second block of C channels with the log-variance.
 */
public final class PixelLikelihood {
  /**
   * The learned log-variance is floored smoothly at log(1e-4) (sigma = 0.01): pixels that never change (MNIST's
   * border) would otherwise drive their variance to zero and their density to infinity.
   */
  static final float LOG_VARIANCE_FLOOR = (float) Math.log(1e-4);
  private static final float LOG_2PI = (float) Math.log(2 * Math.PI);
  /** The logistic's log-scale is floored smoothly here (a scale of 1e-3, a quarter of a bin). */
  static final float LOG_SCALE_FLOOR = (float) Math.log(1e-3);
  /** Half a bin of an 8-bit value in [0, 1] units. */
  static final float HALF_BIN = 0.5f / 255;

  private PixelLikelihood() {}

  /** Pixel means [N, H, W, C] in [0, 1]. */
  public static Operand<TFloat32> mean(Ops tf, VaeSpec spec, Operand<TFloat32> raw) {
    return tf.math.sigmoid(logits(tf, spec, raw));
  }

  private static Operand<TFloat32> logits(Ops tf, VaeSpec spec, Operand<TFloat32> raw) {
    return spec.likelihood().outputsPerChannel() == 1 ? raw : halves(tf, raw).get(0);
  }

  private static List<Output<TFloat32>> halves(Ops tf, Operand<TFloat32> raw) {
    return tf.split(tf.constant(-1), raw, 2L).output();
  }

  /**
   * The reconstruction term of each image, averaged over its S decodings: raw [N * S, H, W, k * C]
   * (the decodings of image n are rows n * S .. n * S + S - 1), images [N, H, W, C]. Returns [N].
   */
  public static Operand<TFloat32> reconstruction(Ops tf, VaeSpec spec, Operand<TFloat32> raw,
      Operand<TFloat32> images) {
    return tf.math.mean(perSample(tf, spec, raw, images), tf.constant(1));
  }

  /**
   * log p(x|z) of each decoding, [N, S], for raw [N * S, H, W, k * C] laid out as in {@link #reconstruction}. S
   * follows from the rows of raw and the number of images, so it can be a value fed at run time.
   */
  public static Operand<TFloat32> perSample(Ops tf, VaeSpec spec, Operand<TFloat32> raw, Operand<TFloat32> images) {
    int size = spec.image().size();
    Operand<TFloat32> x = tf.reshape(images, tf.constant(new int[] {-1, 1, size}));
    Operand<TFloat32> perPixel = switch (spec.likelihood()) {
      case BERNOULLI -> {
        Operand<TFloat32> l = rows(tf, raw, images, size);
        // x * l - softplus(l) = x log sigmoid(l) + (1 - x) log(1 - sigmoid(l)), without log(0)
        yield tf.math.sub(tf.math.mul(x, l), tf.math.softplus(l));
      }
      case GAUSSIAN -> {
        float sigma = spec.sigma();
        Operand<TFloat32> err = tf.math.sub(x, tf.math.sigmoid(rows(tf, raw, images, size)));
        float constant = -0.5f * (LOG_2PI + 2 * (float) Math.log(sigma));
        yield tf.math.add(tf.constant(constant),
            tf.math.mul(tf.math.square(err), tf.constant(-0.5f / (sigma * sigma))));
      }
      case GAUSSIAN_LEARNED -> {
        List<Output<TFloat32>> parts = halves(tf, raw);
        Operand<TFloat32> mean = tf.math.sigmoid(rows(tf, parts.get(0), images, size));
        Operand<TFloat32> rawLogVariance = rows(tf, parts.get(1), images, size);
        Operand<TFloat32> floor = tf.constant(LOG_VARIANCE_FLOOR);
        Operand<TFloat32> logVariance = tf.math.add(floor, tf.math.softplus(tf.math.sub(rawLogVariance, floor)));
        Operand<TFloat32> err = tf.math.sub(x, mean);
        yield tf.math.sub(tf.math.mul(tf.constant(-0.5f), tf.math.add(tf.constant(LOG_2PI), logVariance)),
            tf.math.mul(tf.constant(0.5f), tf.math.mul(tf.math.square(err), tf.math.exp(tf.math.neg(logVariance)))));
      }
      case MSE -> tf.math.neg(tf.math.square(tf.math.sub(x, tf.math.sigmoid(rows(tf, raw, images, size)))));
      case LOGISTIC -> {
        List<Output<TFloat32>> parts = halves(tf, raw);
        Operand<TFloat32> mean = tf.math.sigmoid(rows(tf, parts.get(0), images, size));
        Operand<TFloat32> floor = tf.constant(LOG_SCALE_FLOOR);
        Operand<TFloat32> logScale = tf.math.add(floor, tf.math.softplus(tf.math.sub(rows(tf, parts.get(1),
            images, size), floor)));
        yield discretizedLogistic(tf, x, mean, logScale);
      }
    };
    return tf.sum(perPixel, tf.constant(-1));
  }

  /**
   * log P(x) of 8-bit values x in [0, 1] (v / 255) under a logistic of {@code mean} and {@code logScale}
   * discretized to bins of width 1/255: log(sigmoid((x + h - mean) / s) - sigmoid((x - h - mean) / s)), h half a
   * bin, with the bin of 0 open to minus infinity and the bin of 1 to plus infinity. Where the two sigmoids are
   * too close to subtract in float32 the bin's mass is the density at its center times its width.
   */
  static Operand<TFloat32> discretizedLogistic(Ops tf, Operand<TFloat32> x, Operand<TFloat32> mean,
      Operand<TFloat32> logScale) {
    Operand<TFloat32> inverse = tf.math.exp(tf.math.neg(logScale));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> plus = tf.math.mul(inverse, tf.math.add(centered, tf.constant(HALF_BIN)));
    Operand<TFloat32> minus = tf.math.mul(inverse, tf.math.sub(centered, tf.constant(HALF_BIN)));
    // log sigmoid(a) = a - softplus(a); log(1 - sigmoid(a)) = -softplus(a)
    Operand<TFloat32> lowEdge = tf.math.sub(plus, tf.math.softplus(plus));
    Operand<TFloat32> highEdge = tf.math.neg(tf.math.softplus(minus));
    Operand<TFloat32> delta = tf.math.sub(tf.math.sigmoid(plus), tf.math.sigmoid(minus));
    Operand<TFloat32> middle = tf.math.mul(inverse, centered);
    // log density at the center: m - log s - 2 softplus(m), times the bin's width 1/255
    Operand<TFloat32> density = tf.math.sub(tf.math.sub(middle, logScale), tf.math.mul(tf.constant(2f),
        tf.math.softplus(middle)));
    Operand<TFloat32> inner = tf.select(tf.math.greater(delta, tf.constant(1e-5f)),
        tf.math.log(tf.math.maximum(delta, tf.constant(1e-12f))),
        tf.math.add(density, tf.constant((float) -Math.log(255))));
    Operand<TFloat32> full = tf.math.add(x, tf.zerosLike(mean)); // x at every decoding's shape
    return tf.select(tf.math.less(full, tf.constant(HALF_BIN)), lowEdge,
        tf.select(tf.math.greater(full, tf.constant(1 - HALF_BIN)), highEdge, inner));
  }

  /** raw as [N, S, size], N the number of images and S inferred. */
  private static Operand<TFloat32> rows(Ops tf, Operand<TFloat32> raw, Operand<TFloat32> images, int size) {
    return tf.reshape(raw, Shapes.shape(tf, Shapes.batchSize(tf, images), -1, size));
  }
}
