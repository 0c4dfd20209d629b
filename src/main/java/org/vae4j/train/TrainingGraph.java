package org.vae4j.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.vae4j.model.Layers;
import org.vae4j.model.Objective;
import org.vae4j.model.Parameters;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeNetwork;
import org.vae4j.model.VaeSpec;

/**
 * The graph a training session runs: the training path with its loss and Adam update, and, over the same
 * variables, an evaluation path (batch norm on moving averages, as the export) used for test metrics and for
 * comparing the in-process model with its export.
 */
final class TrainingGraph {
  final VaeSpec spec;
  final Parameters parameters;
  final Placeholder<TFloat32> images;
  /** Seed pair [2] of the stateless noise: a fresh pair per step makes noise reproducible and resumable. */
  final Placeholder<TInt64> noiseSeed;

  /** Batch means of -ELBO, of the reconstruction log-likelihood and of the KL (training path). */
  final Operand<TFloat32> loss;
  final Operand<TFloat32> reconstruction;
  final Operand<TFloat32> kl;
  final Op trainStep;
  final Adam adam;

  /** Batch sums of the one-sample reconstruction log-likelihood and KL on the evaluation path. */
  final Operand<TFloat32> evalReconstructionSum;
  final Operand<TFloat32> evalKlSum;
  /** Evaluation-path encoder and reconstruction (decoder mean at z = encoder mean). */
  final Posterior evalPosterior;
  final Operand<TFloat32> evalReconstruction;

  final long forwardFlopsPerImage;

  TrainingGraph(Graph graph, VaeSpec spec, TrainConfig config) {
    this.spec = spec;
    Ops tf = Ops.create(graph);
    parameters = new Parameters(tf, config.seed());
    var s = spec.image();
    images = tf.withName("images").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels())));
    noiseSeed = tf.withName("noise_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    Operand<TFloat32> eps = Objective.standardNormal(tf, Objective.batchSize(tf, images), spec.latentDim(),
        noiseSeed);

    Layers train = new Layers(parameters, true);
    Objective.Terms terms = Objective.elbo(train, spec, images, eps);
    forwardFlopsPerImage = train.forwardFlopsPerImage();
    reconstruction = tf.math.mean(terms.reconstruction(), tf.constant(0));
    kl = tf.math.mean(terms.kl(), tf.constant(0));
    loss = tf.withName("loss").math.sub(kl, reconstruction);

    List<Variable<TFloat32>> trainable = new ArrayList<>(parameters.trainable());
    Output<?>[] xs = new Output<?>[trainable.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = trainable.get(i).asOutput();
    }
    Output<?>[] gradients = graph.addGradients(loss.asOutput(), xs);
    adam = new Adam(parameters, config.beta1(), config.beta2(), config.epsilon());
    Op update = adam.minimize(trainable, gradients, List.of(tf.identity(loss)), "adam_update");
    List<Op> stepOps = new ArrayList<>(train.statisticUpdates());
    stepOps.add(update);
    trainStep = tf.withControlDependencies(stepOps).withName("train_step").noOp();

    Layers eval = new Layers(parameters, false);
    Objective.Terms evalTerms = Objective.elbo(eval, spec, images, eps);
    evalReconstructionSum = tf.sum(evalTerms.reconstruction(), tf.constant(0));
    evalKlSum = tf.sum(evalTerms.kl(), tf.constant(0));
    evalPosterior = VaeNetwork.encode(eval, images, spec);
    evalReconstruction = tf.math.sigmoid(VaeNetwork.logits(eval, evalPosterior.mean(), spec));
  }
}
