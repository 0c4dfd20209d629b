package org.vae4j.internal.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/**
 * The serving graph: every output of the SavedModel contract, built on the inference path (batch norm with moving
 * averages, no optimizer, no training ops) over variables named as in training, so a training checkpoint restores
 * into it.
 *
 * <p>The placeholders are named after the contract's inputs ({@code images}, {@code latent}, {@code count},
 * {@code seed}); clients feed only what a signature lists.
 */
public final class InferenceGraph {
  /** Seeds of the fixed noise draws of {@code score}: fixed so a score is deterministic. */
  static final long SCORE_SEED_HIGH = 0x7661_6534L;
  static final long SCORE_SEED_LOW = 0x5343_4f52L;
  /** Second half of the sample signature's seed pair; the caller's seed is the first. */
  static final long SAMPLE_STREAM = 1L;
  /** Second half of the log_weights signature's seed pair. */
  static final long IMPORTANCE_STREAM = 2L;

  public final VaeSpec spec;
  public final Parameters parameters;
  public final Placeholder<TFloat32> images;
  public final Placeholder<TFloat32> latent;
  public final Placeholder<TInt32> count;
  public final Placeholder<TInt64> seed;
  /** Importance samples per image of log_weights. */
  public final Placeholder<TInt32> samples;
  /**
   * A conditional model's labels [N], one per image (encode, reconstruct, score, log_weights), per code
   * (decode) or per sample drawn (sample, where they replace {@link #count}); null for an unconditional model.
   */
  public final Placeholder<TInt32> label;
  /**
   * A partial-input model's observed inputs [N, H, W, C] (only the observed positions are read), one per code
   * (decode) or per sample drawn (sample, in place of {@link #count}); null for other models. The signatures that
   * take whole images take their observed part from the images themselves.
   */
  public final Placeholder<TFloat32> condition;
  /**
   * A random-mask model's masks [N, H, W, C] (1 observed, 0 not), one per image or observed input, fed with
   * every signature's images or condition; null for other models.
   */
  public final Placeholder<TFloat32> mask;
  /** encode: q(z|x) for {@link #images}. */
  public final Posterior posterior;
  /** decode: pixel means for {@link #latent}. */
  public final Operand<TFloat32> decoded;
  /** reconstruct: pixel means at z = encoder mean of {@link #images}. */
  public final Operand<TFloat32> reconstruction;
  /** sample: {@link #count} codes from N(0, I) drawn with {@link #seed}, and their decodings. */
  public final Operand<TFloat32> sampledLatent;
  public final Operand<TFloat32> sampledImages;
  /**
   * score: per-image ELBO and its terms, the reconstruction term averaged over {@code scoreSamples} fixed noise
   * draws. For mse models the "log-likelihood" is minus the squared error and the "ELBO" minus the loss; the
   * export names them so.
   */
  public final Operand<TFloat32> elbo;
  public final Operand<TFloat32> reconstructionLogLikelihood;
  public final Operand<TFloat32> kl;
  /** For mse models: squared error + KL, and the squared error (minus the two terms above). */
  public final Operand<TFloat32> loss;
  public final Operand<TFloat32> squaredError;
  /** log_weights: [N, samples] log importance weights of {@link #images}, noise from {@link #seed}; null for mse. */
  public final Operand<TFloat32> logWeights;
  public final int scoreSamples;

  private InferenceGraph(Ops tf, VaeSpec spec, int scoreSamples, Weights weights) {
    if (scoreSamples < 1) {
      throw new IllegalArgumentException("scoreSamples must be at least 1");
    }
    this.spec = spec;
    this.scoreSamples = scoreSamples;
    ImageShape s = spec.image();
    int z = spec.latentDim();
    parameters = Parameters.restoredOnly(tf, weights);
    Layers layers = new Layers(parameters, Layers.Path.INFERENCE);

    images = tf.withName("images").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels())));
    latent = tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, z)));
    count = tf.withName("count").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    seed = tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    samples = tf.withName("samples").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    label = spec.labelled() ? tf.withName("label").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)))
        : null;
    condition = spec.partial() ? tf.withName("condition").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels()))) : null;
    mask = spec.masked() ? tf.withName("mask").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels()))) : null;
    Operand<TFloat32> masks = mask == null ? null : Condition.checkedMasks(tf, mask);
    Operand<TFloat32> imageCondition = Condition.of(tf, spec, label, images, masks);
    Operand<TFloat32> codeCondition = spec.partial() ? Condition.of(tf, spec, label, condition, masks)
        : imageCondition;

    // The score's S noise vectors are the same for every image, so an image's score depends on nothing else in
    // its batch. Encoding once serves encode, reconstruct and score.
    Operand<TFloat32> eps = tf.random.statelessRandomNormal(tf.constant(new int[] {1, scoreSamples, z}),
        tf.constant(new long[] {SCORE_SEED_HIGH, SCORE_SEED_LOW}));
    Objective.Terms terms = Objective.terms(layers, spec, images, imageCondition, eps);
    posterior = terms.posterior();
    reconstructionLogLikelihood = terms.reconstruction();
    kl = terms.kl();
    elbo = tf.math.sub(reconstructionLogLikelihood, kl);
    if (spec.likelihood().isLikelihood()) {
      loss = null;
      squaredError = null;
      Operand<TInt32> n = Shapes.batchSize(tf, images);
      Operand<TInt32> shape = tf.concat(List.of(tf.reshape(n, tf.constant(new int[] {1})),
          tf.reshape(samples, tf.constant(new int[] {1})), tf.constant(new int[] {z})), tf.constant(0));
      Operand<TFloat32> importanceEps = Objective.standardNormal(tf, shape,
          tf.stack(List.of(seed, tf.constant(IMPORTANCE_STREAM))));
      Operand<TFloat32> codes = Objective.reparameterize(tf, posterior, importanceEps, z);
      Operand<TFloat32> logLikelihood = PixelLikelihood.perSample(tf, spec, VaeNetwork.output(layers, codes,
          Condition.perSample(tf, imageCondition, importanceEps), spec), images);
      // a regressor's model of x is p(x|c) itself, the same for every sample: each weight is exactly that
      logWeights = spec.regressor() ? logLikelihood
          : ImportanceSampling.logWeights(tf, posterior, importanceEps, logLikelihood);
    } else {
      loss = tf.math.neg(elbo);
      squaredError = tf.math.neg(reconstructionLogLikelihood);
      logWeights = null;
    }

    decoded = VaeNetwork.decode(layers, latent, codeCondition, spec);
    reconstruction = VaeNetwork.decode(layers, posterior.mean(), imageCondition, spec);

    // a conditional model draws one code per label or observed input given, from the prior N(0, I) whatever the
    // condition; a regressor's code is always 0
    Operand<TInt64> seedPair = tf.stack(List.of(seed, tf.constant(SAMPLE_STREAM)));
    Operand<TInt32> drawn = spec.labelled() ? tf.reshape(tf.shape(label), tf.constant(new int[0]))
        : spec.partial() ? Shapes.batchSize(tf, condition) : count;
    Operand<TFloat32> prior = Objective.standardNormal(tf, Shapes.shape(tf, drawn, z), seedPair);
    sampledLatent = spec.regressor() ? tf.zerosLike(prior) : prior;
    sampledImages = VaeNetwork.decode(layers, sampledLatent, codeCondition, spec);
  }

  /** Builds the serving graph into {@code tf}'s graph. */
  public static InferenceGraph build(Ops tf, VaeSpec spec, int scoreSamples) {
    return build(tf, spec, scoreSamples, Weights.LAST);
  }

  /** The serving graph reading the checkpoint's {@code weights} (the last ones, or their moving average). */
  public static InferenceGraph build(Ops tf, VaeSpec spec, int scoreSamples, Weights weights) {
    return new InferenceGraph(tf, spec, scoreSamples, weights);
  }
}
