package org.vae4j.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vae4j.contract.Given;
import org.vae4j.contract.Observation;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;
import org.vae4j.serve.ElboScorer;
import org.vae4j.serve.LossScorer;
import org.vae4j.serve.Vae;

/**
 * A model's figures on a test set, measured through the public {@link Vae} API (what an embedding application
 * gets): the ELBO as the mean log importance weight (draws independent per image; K per image where log p(x) is
 * estimated, 8 elsewhere), its KL term in closed form from the {@code score} signature, the reconstruction term as
 * their sum, and, when asked, the importance-sampled log-likelihood with K samples per image. Per image too, for
 * anomaly detection. Models trained with mse report the {@code score} signature's loss.
 *
 * @param testData what the images were (data set, count, binarization)
 * @param likelihood false for mse models, whose objective is a loss (then elbo holds minus the loss and
 *     reconstruction minus the squared error)
 * @param importanceSamples K, or 0 when the log-likelihood was not estimated
 * @param importanceImages how many images (the first ones) the log-likelihood was estimated on
 * @param logLikelihood mean importance-sampled log p(x) over those images, NaN when not estimated
 * @param logLikelihoodStdError the standard error of that mean over images (not counting the sampling noise of
 *     each estimate, which is far smaller at K = 5000)
 * @param bitsPerDimPerNat 1 / (H W C ln 2) for a likelihood over 8-bit values ({@code logistic}), whose figures
 *     are also given in bits per dimension; 0 otherwise
 */
public record TestReport(String testData, boolean likelihood, double elbo, double reconstruction, double kl,
    int importanceSamples, int importanceImages, double logLikelihood, double logLikelihoodStdError, long seed,
    double seconds, List<ImageScore> perImage, double bitsPerDimPerNat) {

  /**
   * One image's figures.
   *
   * @param label the image's label, or -1 when the data has none
   * @param logLikelihood its importance-sampled log p(x), NaN when not estimated
   */
  public record ImageScore(int index, int label, double elbo, double reconstruction, double kl,
      double logLikelihood) {}

  /**
   * Scores every image of {@code test}, and when {@code importanceSamples} is above 0 estimates log p(x) of the
   * first {@code importanceLimit} images (0: all) with that many samples each.
   */
  public static TestReport of(Vae vae, ImageSet test, String testData, int importanceSamples, int importanceLimit,
      long seed, Vae.Progress progress) {
    return of(vae, test, testData, importanceSamples, importanceLimit, seed, progress,
        vae.conditioning().observe());
  }

  /**
   * The same, a random-mask model given the masks {@code masks} names: random ones drawn from {@code seed} as in
   * training (image i's from the seed and i), or one fixed observation's for every image. Other models ignore it.
   */
  public static TestReport of(Vae vae, ImageSet test, String testData, int importanceSamples, int importanceLimit,
      long seed, Vae.Progress progress, Observation masks) {
    return of(vae, test, testData, importanceSamples, importanceLimit, seed, progress, masks, null);
  }

  /**
   * The same, keeping the log-likelihood estimates made so far in {@code checkpoint} (null: nowhere), saved at
   * least every minute: run again with the same file and arguments, it goes on from there with the answers one
   * unbroken run gives (see {@link ImportanceCheckpoint}).
   */
  public static TestReport of(Vae vae, ImageSet test, String testData, int importanceSamples, int importanceLimit,
      long seed, Vae.Progress progress, Observation masks, Path checkpoint) {
    long start = System.nanoTime();
    float[][] images = test.images(0, test.count());
    Given given = given(vae, test, testData, masks, seed);
    double[] elbo;
    double[] rec;
    double[] kl;
    int estimated = importanceSamples > 0 && vae.hasLikelihood()
        ? (importanceLimit > 0 ? Math.min(importanceLimit, images.length) : images.length) : 0;
    double[] logP = null;
    if (vae.scorer() instanceof ElboScorer scorer) {
      // the ELBO from draws independent per image: the score signature's fixed draws, shared by all images,
      // would add one common error to the mean; the KL is the score's closed form
      kl = toDoubles(scorer.score(images, given).kl());
      elbo = new double[images.length];
      if (estimated > 0) {
        logP = new double[estimated];
        estimateInParts(scorer, images, given, estimated, importanceSamples, seed, progress, checkpoint == null
            ? null : ImportanceCheckpoint.open(checkpoint, vae.path(), new ImportanceCheckpoint.Inputs(
                Arrays.copyOf(images, estimated), given.slice(0, estimated)), importanceSamples, seed), logP, elbo);
      }
      if (estimated < images.length) {
        // numbered as a list of their own (offset 0), as before parts existed
        double[] rest = scorer.importance(Arrays.copyOfRange(images, estimated, images.length),
            given.slice(estimated, images.length), ELBO_SAMPLES, ~seed, null).elbo();
        System.arraycopy(rest, 0, elbo, estimated, rest.length);
      }
      rec = new double[images.length];
      for (int i = 0; i < images.length; i++) {
        rec[i] = elbo[i] + kl[i];
      }
    } else {
      Vae.SquaredErrors s = ((LossScorer) vae.scorer()).squaredErrors(images, given);
      elbo = negate(s.loss());
      rec = negate(s.squaredError());
      kl = toDoubles(s.kl());
    }
    List<ImageScore> rows = new ArrayList<>(images.length);
    double sumElbo = 0;
    double sumRec = 0;
    double sumKl = 0;
    double sumLogP = 0;
    double sumSquares = 0;
    for (int i = 0; i < images.length; i++) {
      double lp = i < estimated ? logP[i] : Double.NaN;
      rows.add(new ImageScore(i, test.label(i), elbo[i], rec[i], kl[i], lp));
      sumElbo += elbo[i];
      sumRec += rec[i];
      sumKl += kl[i];
      if (i < estimated) {
        sumLogP += lp;
        sumSquares += lp * lp;
      }
    }
    int n = Math.max(1, images.length);
    double meanLogP = estimated == 0 ? Double.NaN : sumLogP / estimated;
    double stdError = estimated < 2 ? Double.NaN
        : Math.sqrt(Math.max(0, (sumSquares - estimated * meanLogP * meanLogP) / (estimated - 1)) / estimated);
    return new TestReport(testData, vae.hasLikelihood(), sumElbo / n, sumRec / n, sumKl / n,
        estimated == 0 ? 0 : importanceSamples, estimated, meanLogP, stdError, seed,
        (System.nanoTime() - start) / 1e9, rows, vae.card().bitsPerDimPerNat());
  }

  /** Images per part of an estimate at most (or one block): a stop loses at most one part's work. */
  private static final int PART_IMAGES = 16;
  /** How often a checkpoint is saved at most (tests set 0: after every part). */
  static long saveNanos = 60_000_000_000L;

  /** Independent draws per image for the ELBO of the images without an importance-sampled estimate. */
  public static final int ELBO_SAMPLES = 8;

  /** How the ELBO was estimated, for the report. */
  public String elboEstimate() {
    if (!likelihood) {
      return "score signature: 8 fixed noise draws per image";
    }
    return importanceImages == perImage.size() ? "mean log weight of the " + importanceSamples + " importance"
        + " samples per image" : importanceImages > 0 ? "mean log weight: " + importanceSamples + " samples for the"
        + " first " + importanceImages + " images, " + ELBO_SAMPLES + " for the others"
        : "mean log weight of " + ELBO_SAMPLES + " independent samples per image";
  }

  /**
   * What a conditional model is given with the test images: a label-conditioned model scores log p(x|label), every
   * image with its own label; a random-mask model scores log p(Y|X) under {@code masks}' masks (random ones drawn
   * from the seed, image i's the same whatever the count).
   */
  private static Given given(Vae vae, ImageSet test, String testData, Observation masks, long seed) {
    if (vae.conditioning().labelled() && !test.hasLabels()) {
      throw new org.vae4j.VaeException("the model at " + vae.path() + " is conditioned on a label, but the test"
          + " images (" + testData + ") have none");
    }
    if (vae.conditioning().masked() && (masks == null || masks.fixed())) {
      // one fixed observation's mask for every image (none given: none fed, and the model says what it needs)
      int[] shape = vae.imageShape();
      return masks == null ? Given.NONE : Given.masks(masks.masks(0, test.count(), shape[0], shape[1], shape[2],
          seed));
    }
    return test.given(vae.conditioning(), 0, test.count(), seed);
  }

  /**
   * The estimates of the first {@code count} images into {@code logP} and {@code elbo}, in parts of a few blocks,
   * each numbered from its place in the list; with a checkpoint, the kept ones are read from it and the new ones
   * saved at least every minute.
   */
  private static void estimateInParts(ElboScorer scorer, float[][] images, Given given, int count, int samples,
      long seed, Vae.Progress progress, ImportanceCheckpoint checkpoint, double[] logP, double[] elbo) {
    int from = checkpoint == null ? 0 : checkpoint.done();
    for (int i = 0; i < from; i++) {
      logP[i] = checkpoint.logLikelihood(i);
      elbo[i] = checkpoint.elbo(i);
    }
    int block = ElboScorer.importanceBlock(samples);
    int part = block * Math.max(1, PART_IMAGES / block);
    long total = (long) count * samples;
    long saved = System.nanoTime();
    while (from < count) {
      int to = Math.min(count, from + part);
      long before = (long) from * samples;
      Vae.Importance is = scorer.importance(Arrays.copyOfRange(images, from, to), given.slice(from, to), samples,
          seed, from, progress == null ? null : (done, all) -> progress.update(before + done, total));
      System.arraycopy(is.logLikelihood(), 0, logP, from, to - from);
      System.arraycopy(is.elbo(), 0, elbo, from, to - from);
      if (checkpoint != null) {
        checkpoint.add(is.logLikelihood(), is.elbo());
        if (to == count || System.nanoTime() - saved >= saveNanos) {
          checkpoint.save();
          saved = System.nanoTime();
        }
      }
      from = to;
    }
    if (progress != null) {
      progress.update(total, total);
    }
  }

  private static double[] toDoubles(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static double[] negate(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  /** The figures the model card keeps, in nats per image. */
  public Map<String, Double> cardMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    if (likelihood) {
      m.put("test_elbo", elbo);
      m.put("test_reconstruction_log_likelihood", reconstruction);
    } else {
      m.put("test_loss", -elbo);
      m.put("test_squared_error", -reconstruction);
    }
    m.put("test_kl", kl);
    if (importanceSamples > 0) {
      m.put("test_log_likelihood", logLikelihood);
      m.put("test_log_likelihood_std_error", logLikelihoodStdError);
      m.put("test_importance_samples", (double) importanceSamples);
      m.put("test_importance_images", (double) importanceImages);
    }
    if (bitsPerDimPerNat > 0) {
      m.put("test_elbo_bits_per_dim", -elbo * bitsPerDimPerNat);
      if (importanceSamples > 0) {
        m.put("test_bits_per_dim", -logLikelihood * bitsPerDimPerNat);
      }
    }
    m.put("test_images", (double) perImage.size());
    return m;
  }

  /** The summary as JSON (evaluation.json). */
  public String toJson() {
    return Json.write(toMap()) + "\n";
  }

  /** The summary with its protocol (data, images, K, seed, how the ELBO was estimated) and its figures. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_data", testData);
    m.put("images", perImage.size());
    m.put("elbo_estimate", elboEstimate());
    m.putAll(cardMetrics());
    if (importanceSamples > 0) {
      m.put("test_nll", -logLikelihood);
      m.put("importance_seed", seed);
    }
    m.put("seconds", seconds);
    return m;
  }

  /** One CSV row per image: its index, label, ELBO (or loss) and terms, and log p(x) when estimated. */
  public void writeScores(Path file) throws IOException {
    boolean logP = importanceSamples > 0;
    StringBuilder csv = new StringBuilder(likelihood
        ? "index,label,elbo,reconstruction_error,kl" : "index,label,loss,squared_error,kl");
    csv.append(logP ? ",log_likelihood\n" : "\n");
    for (ImageScore s : perImage) {
      csv.append(String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%.4f", s.index(),
          s.label() < 0 ? "" : Integer.toString(s.label()), likelihood ? s.elbo() : -s.elbo(), -s.reconstruction(),
          s.kl()));
      csv.append(!logP ? "\n" : Double.isNaN(s.logLikelihood()) ? ",\n"
          : String.format(Locale.ROOT, ",%.4f%n", s.logLikelihood()));
    }
    Files2.writeAtomically(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }
}
