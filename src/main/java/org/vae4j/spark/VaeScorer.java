package org.vae4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.vae4j.VaeException;
import org.vae4j.serve.ElboScorer;
import org.vae4j.serve.Vae;

/**
 * Adds each picture's scores in nats: the ELBO, the reconstruction log-likelihood and the KL term ({@link
 * ElboScorer#score}'s values), and, when importanceSamples is above 0, the importance-sampled estimate of log p(x)
 * with that many samples ({@link ElboScorer#logLikelihood}; its noise depends on the seed, the partition and the
 * batch). Low scores flag unusual pictures. The model needs a likelihood (Bernoulli or Gaussian); models trained
 * with a squared-error loss are refused.
 */
public final class VaeScorer extends VaeTransformer<VaeScorer> {
  private static final long serialVersionUID = 1L;

  /** The param of the ELBO column's name. */
  private final Param<String> elboCol = new Param<>(this, "elboCol", "the ELBO column (double, nats)");
  /** The param of the reconstruction log-likelihood column's name. */
  private final Param<String> reconstructionCol = new Param<>(this, "reconstructionCol",
      "the reconstruction log-likelihood column (double, nats)");
  /** The param of the KL column's name. */
  private final Param<String> klCol = new Param<>(this, "klCol", "the KL column (double, nats)");
  /** The param of the importance-sampled log-likelihood column's name. */
  private final Param<String> logLikelihoodCol = new Param<>(this, "logLikelihoodCol",
      "the importance-sampled log-likelihood column (double, nats), added when importanceSamples > 0");
  /** The param of the importance samples per picture. */
  private final IntParam importanceSamples = new IntParam(this, "importanceSamples",
      "importance samples K per picture for the log-likelihood estimate (0: no estimate)");

  /** A scorer with a random id and every param at its default. */
  public VaeScorer() {
    this(Identifiable.randomUID("vaeScorer"));
  }

  /** A scorer with id {@code uid} and every param at its default. */
  public VaeScorer(String uid) {
    super(uid);
    setDefault(elboCol, "elbo");
    setDefault(reconstructionCol, "reconstruction");
    setDefault(klCol, "kl");
    setDefault(logLikelihoodCol, "log_likelihood");
    setDefault(importanceSamples, (Object) 0);
  }

  /** Spark ML's reader of saved scorers (what {@code Pipeline} loading calls). */
  public static MLReader<VaeScorer> read() {
    return new DefaultParamsReadable<VaeScorer>() {}.read();
  }

  /** Loads a scorer saved at {@code path}. */
  public static VaeScorer load(String path) {
    return read().load(path);
  }

  /** The param of the ELBO column (double, nats); {@code elbo} by default. */
  public Param<String> elboCol() {
    return elboCol;
  }

  /** The param of the reconstruction log-likelihood column (double, nats); {@code reconstruction} by default. */
  public Param<String> reconstructionCol() {
    return reconstructionCol;
  }

  /** The param of the KL column (double, nats); {@code kl} by default. */
  public Param<String> klCol() {
    return klCol;
  }

  /** The param of the importance-sampled log-likelihood column (double, nats); {@code log_likelihood} by default. */
  public Param<String> logLikelihoodCol() {
    return logLikelihoodCol;
  }

  /** The param of the importance samples K per picture of the log-likelihood estimate; 0 (no estimate) by default. */
  public IntParam importanceSamples() {
    return importanceSamples;
  }

  /** The importance samples K per picture, 0 when there is no estimate. */
  public int getImportanceSamples() {
    return (Integer) getOrDefault(importanceSamples);
  }

  /** Sets the ELBO column's name. */
  public VaeScorer setElboCol(String value) {
    return put(elboCol, value);
  }

  /** Sets the reconstruction log-likelihood column's name. */
  public VaeScorer setReconstructionCol(String value) {
    return put(reconstructionCol, value);
  }

  /** Sets the KL column's name. */
  public VaeScorer setKlCol(String value) {
    return put(klCol, value);
  }

  /** Sets the importance-sampled log-likelihood column's name. */
  public VaeScorer setLogLikelihoodCol(String value) {
    return put(logLikelihoodCol, value);
  }

  /** Sets the importance samples K per picture (0 to {@link Vae#MAX_IMPORTANCE_SAMPLES}; 0: no estimate). */
  public VaeScorer setImportanceSamples(int value) {
    return put(importanceSamples, (Object) value);
  }

  @Override
  protected void checkParams() {
    int k = getImportanceSamples();
    if (k < 0 || k > Vae.MAX_IMPORTANCE_SAMPLES) {
      throw VaeException.setting("importanceSamples must be between 0 and " + Vae.MAX_IMPORTANCE_SAMPLES + ", got "
          + k, "importanceSamples");
    }
  }

  @Override
  protected Outputs outputs() {
    List<String> names = new ArrayList<>(List.of(getOrDefault(elboCol), getOrDefault(reconstructionCol),
        getOrDefault(klCol)));
    if (getImportanceSamples() > 0) {
      names.add(getOrDefault(logLikelihoodCol));
    }
    return new Columns(names, getImportanceSamples());
  }

  private record Columns(List<String> names, int samples) implements Outputs {
    @Override
    public StructField[] fields() {
      return names.stream().map(n -> DataTypes.createStructField(n, DataTypes.DoubleType, true))
          .toArray(StructField[]::new);
    }

    @Override
    public Object[][] compute(Vae vae, float[][] images, long seed) {
      ElboScorer scorer = vae.likelihood().orElseThrow(() -> new VaeException("the model at " + vae.path()
          + " has no likelihood (it was trained with a squared-error loss), so it has no ELBO to score"));
      Vae.Scores s = scorer.score(images);
      double[] ll = samples > 0 ? scorer.logLikelihood(images, samples, seed) : null;
      Object[][] out = new Object[images.length][];
      for (int i = 0; i < images.length; i++) {
        out[i] = ll == null ? new Object[] {(double) s.elbo()[i], (double) s.reconstructionLogLikelihood()[i],
            (double) s.kl()[i]} : new Object[] {(double) s.elbo()[i], (double) s.reconstructionLogLikelihood()[i],
            (double) s.kl()[i], ll[i]};
      }
      return out;
    }
  }
}
