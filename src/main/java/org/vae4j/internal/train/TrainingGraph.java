package org.vae4j.internal.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.internal.model.Condition;
import org.vae4j.internal.model.Layers;
import org.vae4j.internal.model.Objective;
import org.vae4j.internal.model.Parameters;
import org.vae4j.internal.model.Posterior;
import org.vae4j.internal.model.Shapes;
import org.vae4j.internal.model.VaeNetwork;
import org.vae4j.spec.ObjectiveConfig;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/**
 * The graph a training session runs: the training path with its loss and optimizer update, and, over the same
 * variables, an evaluation path (batch norm on moving averages, as the export; KL weight 1, one sample) used for
 * test metrics and for comparing the in-process model with its export.
 *
 * <p>Training loss per batch: KL weight w (fed each step) times the KL term, minus the mean reconstruction term
 * (averaged over the Monte Carlo samples). The KL term is the batch-mean KL, or with free bits F,
 * sum over dimensions of max(F, batch-mean KL of the dimension).
 */
final class TrainingGraph {
  final VaeSpec spec;
  final Parameters parameters;
  /** The model's own variables (weights and batch-norm statistics), without optimizer slots or averages. */
  final List<String> modelVariables;
  final Placeholder<TFloat32> images;
  /** Seed pair [2] of the stateless noise: a fresh pair per step makes noise reproducible and resumable. */
  final Placeholder<TInt64> noiseSeed;
  final Placeholder<TFloat32> klWeight;
  /** A conditional model's labels [N], one per image (and per code of {@link #latent}); null otherwise. */
  final Placeholder<TInt32> labels;
  /**
   * A random-mask model's masks [N, H, W, C] of observed pixels: drawn in the graph from the noise seed unless
   * fed (pictures feed the masks they show); null for other models.
   */
  final Operand<TFloat32> masks;

  /** The weighted training loss and the batch means of the reconstruction term and of the KL. */
  final Operand<TFloat32> loss;
  final Operand<TFloat32> reconstruction;
  final Operand<TFloat32> kl;
  /** Global norm of the gradients the optimizer receives (after clipping). */
  final Operand<TFloat32> gradientNorm;
  /** Whether the step's loss and gradients are finite: only then does it change any variable. */
  final Operand<TBool> finite;
  final Op trainStep;
  final GraphOptimizer optimizer;

  /** Batch sums of the one-sample reconstruction term and KL on the evaluation path, and the KL per dimension. */
  final Operand<TFloat32> evalReconstructionSum;
  final Operand<TFloat32> evalKlSum;
  final Operand<TFloat32> evalKlPerDimensionSum;
  /** Evaluation-path encoder and reconstruction (decoder mean at z = encoder mean). */
  final Posterior evalPosterior;
  final Operand<TFloat32> evalReconstruction;
  /** Evaluation-path decoder means for given codes (per-epoch sample grids). */
  final Placeholder<TFloat32> latent;
  final Operand<TFloat32> evalDecoded;

  final long forwardFlopsPerImage;
  /** The moving average of the weights, null without one. */
  final WeightAverage weightAverage;

  /**
   * Largest model accepted: 500 million parameters (2 GB of weights, 6 GB with Adam's slots). The conv model's
   * dense layers grow with the image area, so a typo in an image size would otherwise ask for terabytes.
   */
  static final long MAX_PARAMETERS = 500_000_000L;

  /** Refuses a model too large to train (the graph is built, no memory for weights is taken yet). */
  void checkSize() {
    long parameters = this.parameters.trainableCount();
    if (parameters > MAX_PARAMETERS) {
      throw VaeException.setting(String.format("a %s VAE for %s images would have %,d parameters (%.1f GB);"
          + " vae4j trains models up to %,d parameters: use smaller images%s", spec.architecture().label(),
          spec.image(), parameters, parameters * 4 / 1e9, MAX_PARAMETERS,
          spec.architecture() == org.vae4j.spec.Architecture.MLP ? " or smaller hidden sizes" : ""), "hidden");
    }
  }

  TrainingGraph(Graph graph, VaeSpec spec, TrainConfig config) {
    this.spec = spec;
    Ops tf = Ops.create(graph);
    parameters = new Parameters(tf, config.seed());
    var s = spec.image();
    int z = spec.latentDim();
    ObjectiveConfig objective = config.objective();
    if (spec.regressor() && objective.bound() == ObjectiveConfig.Bound.IWAE) {
      throw VaeException.setting("a regressor has no latent code to importance-sample: train it with objective"
          + " elbo (its ELBO is its log-likelihood)", "bound", "regressor");
    }
    images = tf.withName("images").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels())));
    noiseSeed = tf.withName("noise_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    klWeight = tf.withName("kl_weight").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    var batch = Shapes.batchSize(tf, images);
    labels = spec.labelled() ? tf.withName("label").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)))
        : null;
    masks = spec.masked() ? tf.withName("mask").placeholderWithDefault(
        Condition.drawMasks(tf, batch, s, noiseSeed), Shape.of(-1, s.height(), s.width(), s.channels())) : null;
    // a partial-input model's observed part comes from the (binarized) images themselves
    Operand<TFloat32> condition = Condition.of(tf, spec, labels, images, masks);

    Layers train = new Layers(parameters, Layers.Path.TRAINING);
    int samples = objective.mcSamples();
    Operand<TFloat32> eps = Objective.standardNormal(tf, Shapes.shape(tf, batch, samples, z), noiseSeed);
    Objective.Terms terms = Objective.terms(train, spec, images, condition, eps);
    // per image with one sample: with L samples the decoder's share runs L times
    forwardFlopsPerImage = train.forwardFlopsPerImage();
    reconstruction = tf.math.mean(terms.reconstruction(), tf.constant(0));
    Operand<TFloat32> klPerDimension = tf.math.mean(terms.klPerDimension(), tf.constant(0));
    kl = tf.sum(klPerDimension, tf.constant(0));
    Operand<TFloat32> klTerm = Objective.klTerm(tf, klPerDimension, objective.freeBits());
    // the ELBO with its KL options, or minus the importance-weighted bound over the same samples (the reported
    // reconstruction and KL stay the ELBO's terms either way)
    loss = objective.bound() == ObjectiveConfig.Bound.IWAE
        ? tf.withName("loss").math.neg(tf.math.mean(Objective.importanceWeightedBound(tf, terms, eps),
            tf.constant(0)))
        : tf.withName("loss").math.sub(tf.math.mul(klWeight, klTerm), reconstruction);

    modelVariables = List.copyOf(parameters.all().keySet());
    List<Variable<TFloat32>> trainable = new ArrayList<>(parameters.trainable());
    Clipping.Clipped clipped = Clipping.apply(tf, GraphOptimizer.gradients(graph, loss, trainable),
        config.optimizer().clipValue(), config.optimizer().clipNorm());
    gradientNorm = clipped.globalNorm();
    finite = tf.withName("step_is_finite").math.logicalAnd(tf.math.isFinite(loss), tf.math.isFinite(gradientNorm));
    optimizer = GraphOptimizer.create(config.optimizer(), parameters);
    Op update = optimizer.minimize(trainable, clipped.gradients(),
        List.of(tf.identity(loss), tf.identity(reconstruction), tf.identity(kl)), finite, "optimizer_update");
    // a non-finite step leaves the moving averages alone too
    List<Op> stepOps = new ArrayList<>(train.statisticUpdates(x -> tf.switchCond(x, finite).outputTrue()));
    stepOps.add(update);
    float emaDecay = config.optimizer().emaDecay();
    weightAverage = emaDecay > 0 ? new WeightAverage(parameters, trainable, emaDecay, update, finite) : null;
    if (weightAverage != null) {
      stepOps.add(weightAverage.update);
    }
    trainStep = tf.withControlDependencies(stepOps).withName("train_step").noOp();

    Layers eval = new Layers(parameters, Layers.Path.INFERENCE);
    Operand<TFloat32> evalEps = Objective.standardNormal(tf, Shapes.shape(tf, batch, 1, z), noiseSeed);
    Objective.Terms evalTerms = Objective.terms(eval, spec, images, condition, evalEps);
    evalReconstructionSum = tf.sum(evalTerms.reconstruction(), tf.constant(0));
    evalKlSum = tf.sum(evalTerms.kl(), tf.constant(0));
    evalKlPerDimensionSum = tf.sum(evalTerms.klPerDimension(), tf.constant(0));
    evalPosterior = evalTerms.posterior();
    evalReconstruction = VaeNetwork.decode(eval, evalPosterior.mean(), condition, spec);
    latent = tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, z)));
    evalDecoded = VaeNetwork.decode(eval, latent, condition, spec);
  }
}
