package org.vae4j.internal.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.internal.model.InferenceGraph;
import org.vae4j.internal.util.Files2;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/**
 * Writes a trained model as a TF Serving SavedModel: {@code <base>/<version>/} with an inference-only graph, the
 * contract's signatures and the model card.
 *
 * <p>The serving graph is built fresh (no optimizer slots, no training ops, no initializers) with the training
 * graph's variable names, and the training checkpoint is restored into it. Everything is written into a hidden
 * temporary folder beside the version folder and renamed into place at the end: TF Serving polls the base folder
 * and must never load half a model, and a failed export leaves earlier versions untouched.
 */
public final class SavedModelExport {
  /** How many fixed noise draws {@code score} averages per image. */
  public static final int DEFAULT_SCORE_SAMPLES = 8;

  private SavedModelExport() {}

  /**
   * Exports the model whose variables are in {@code checkpointPrefix}.
   *
   * @return the version folder written
   * @throws VaeException when the version folder exists already or cannot be written
   */
  public static Path export(VaeSpec spec, Path checkpointPrefix, ModelCard card, Path baseDir, long version,
      ConfigProto sessionConfig) {
    return export(spec, checkpointPrefix, Weights.LAST, card, baseDir, version, sessionConfig, tmp -> { });
  }

  /** The same, exporting the checkpoint's {@code weights}: the last ones, or their moving average. */
  public static Path export(VaeSpec spec, Path checkpointPrefix, Weights weights, ModelCard card, Path baseDir,
      long version, ConfigProto sessionConfig) {
    return export(spec, checkpointPrefix, weights, card, baseDir, version, sessionConfig, tmp -> { });
  }

  /** Runs on the temporary folder after TensorFlow wrote it (a seam: tests fail here as a full disk does). */
  @FunctionalInterface
  interface AfterWrite {
    void wrote(Path tmp) throws IOException;
  }

  static Path export(VaeSpec spec, Path checkpointPrefix, Weights weights, ModelCard card, Path baseDir,
      long version, ConfigProto sessionConfig, AfterWrite afterWrite) {
    if (version < 1) {
      throw new VaeException("the model version must be a positive integer, got " + version);
    }
    Path target = baseDir.resolve(Long.toString(version));
    if (Files.exists(target)) {
      throw new VaeException(target + " exists already; choose another version or output folder");
    }
    Path tmp = Files2.siblingTemp(target);
    try {
      Files.createDirectories(baseDir);
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        InferenceGraph g = InferenceGraph.build(tf, spec, card.scoreSamples(), weights);
        try (Session session = new Session(graph, false, sessionConfig)) {
          session.restore(checkpointPrefix.toString());
          SavedModelBundle.exporter(tmp.toString())
              .withTags(Contract.TAG)
              .withSession(session)
              .withSignatures(signatures(g).toArray(new Signature[0]))
              .export();
        }
      }
      afterWrite.wrote(tmp);
      Path cardFile = tmp.resolve(Contract.MODEL_CARD);
      Files2.writeAtomically(cardFile, card.toJson().getBytes(StandardCharsets.UTF_8));
      Files2.move(tmp, target, false);
      return target;
    } catch (IOException | RuntimeException e) {
      Files2.deleteQuietly(tmp);
      if (e instanceof VaeException v) {
        throw v;
      }
      throw new VaeException("cannot export the SavedModel to " + target + ": " + e.getMessage(), e);
    }
  }

  /** The model card of a model of {@code spec}, exported now. */
  public static ModelCard card(VaeSpec spec, String dataset, long parameters, java.util.Map<String, Object> training,
      java.util.Map<String, Double> metrics) {
    return ModelCard.create(spec.image().toArray(), spec.latentDim(), spec.architecture().label(),
        spec.likelihood().label(), spec.details(), dataset, DEFAULT_SCORE_SAMPLES, parameters, training, metrics);
  }

  /**
   * The contract's signatures over a serving graph; {@code serving_default} repeats {@code encode}. A conditional
   * model's signatures also take {@code label} (int32 [-1]), one per image or code; its {@code sample} draws one
   * image per label in place of taking a {@code count}. A partial-input model's {@code decode} and {@code sample}
   * take {@code condition} (float [-1, H, W, C], the observed inputs), one per code or per image drawn; its other
   * signatures read the observed part from their images. A random-mask model's signatures all take {@code mask}
   * (float [-1, H, W, C]) beside their images or condition.
   */
  static List<Signature> signatures(InferenceGraph g) {
    Signature encode = builder(g, Contract.ENCODE).input(Contract.IMAGES, g.images)
        .output(Contract.MEAN, g.posterior.mean()).output(Contract.STDDEV, g.posterior.stddev()).build();
    Signature servingDefault = builder(g, Contract.SERVING_DEFAULT).input(Contract.IMAGES, g.images)
        .output(Contract.MEAN, g.posterior.mean()).output(Contract.STDDEV, g.posterior.stddev()).build();
    Signature decode = withCondition(g, builder(g, Contract.DECODE).input(Contract.LATENT, g.latent))
        .output(Contract.IMAGES, g.decoded).build();
    Signature reconstruct = builder(g, Contract.RECONSTRUCT).input(Contract.IMAGES, g.images)
        .output(Contract.IMAGES, g.reconstruction).build();
    Signature.Builder sampling = builder(g, Contract.SAMPLE).input(Contract.SEED, g.seed)
        .output(Contract.IMAGES, g.sampledImages).output(Contract.LATENT, g.sampledLatent);
    Signature sample = (g.label == null && g.condition == null ? sampling.input(Contract.COUNT, g.count)
        : withCondition(g, sampling)).build();
    Signature.Builder scoring = builder(g, Contract.SCORE).input(Contract.IMAGES, g.images);
    if (g.spec.likelihood().isLikelihood()) {
      scoring.output(Contract.ELBO, g.elbo)
          .output(Contract.RECONSTRUCTION_LOG_LIKELIHOOD, g.reconstructionLogLikelihood)
          .output(Contract.KL, g.kl);
    } else {
      // a squared error is not a log-likelihood, and squared error + KL is a loss, not a bound: name them so
      scoring.output(Contract.LOSS, g.loss).output(Contract.SQUARED_ERROR, g.squaredError).output(Contract.KL, g.kl);
    }
    Signature score = scoring.build();
    if (!g.spec.likelihood().isLikelihood()) {
      return List.of(encode, servingDefault, decode, reconstruct, sample, score);
    }
    Signature logWeights = builder(g, Contract.LOG_WEIGHTS).input(Contract.IMAGES, g.images)
        .input(Contract.SAMPLES, g.samples).input(Contract.SEED, g.seed)
        .output(Contract.LOG_WEIGHTS, g.logWeights).build();
    return List.of(encode, servingDefault, decode, reconstruct, sample, score, logWeights);
  }

  /** {@code b} with a partial-input model's {@code condition} input added (the signatures that make images). */
  private static Signature.Builder withCondition(InferenceGraph g, Signature.Builder b) {
    return g.condition == null ? b : b.input(Contract.CONDITION, g.condition);
  }

  /**
   * A signature's builder, with the label input already added for a conditional model and the mask input for a
   * random-mask one.
   */
  private static Signature.Builder builder(InferenceGraph g, String key) {
    Signature.Builder b = Signature.builder().key(key).methodName(Contract.PREDICT_METHOD);
    if (g.mask != null) {
      b.input(Contract.MASK, g.mask);
    }
    return g.label == null ? b : b.input(Contract.LABEL, g.label);
  }

}
