package org.vae4j.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vae4j.data.ImageSet;
import org.vae4j.json.Json;
import org.vae4j.serve.Vae;
import org.vae4j.util.Files2;

/**
 * A model's figures on a test set, measured through the public {@link Vae} API (what an embedding application
 * gets): the ELBO and its two terms from the {@code score} signature (8 noise draws per image), and, when asked,
 * the importance-sampled log-likelihood with K samples per image. Per image too, for anomaly detection.
 *
 * @param testData what the images were (data set, count, binarization)
 * @param likelihood false for mse models, whose objective is a loss (then elbo holds minus the loss and
 *     reconstruction minus the squared error)
 * @param importanceSamples K, or 0 when the log-likelihood was not estimated
 * @param importanceImages how many images (the first ones) the log-likelihood was estimated on
 * @param logLikelihood mean importance-sampled log p(x) over those images, NaN when not estimated
 * @param logLikelihoodStdError the standard error of that mean over images (not counting the sampling noise of
 *     each estimate, which is far smaller at K = 5000)
 */
public record TestReport(String testData, boolean likelihood, double elbo, double reconstruction, double kl,
    int importanceSamples, int importanceImages, double logLikelihood, double logLikelihoodStdError, long seed,
    double seconds, List<ImageScore> perImage) {

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
    long start = System.nanoTime();
    float[][] images = test.images(0, test.count());
    float[] elbo;
    float[] rec;
    float[] kl;
    if (vae.hasLikelihood()) {
      Vae.Scores s = vae.score(images);
      elbo = s.elbo();
      rec = s.reconstructionLogLikelihood();
      kl = s.kl();
    } else {
      Vae.SquaredErrors s = vae.squaredErrors(images);
      elbo = negate(s.loss());
      rec = negate(s.squaredError());
      kl = s.kl();
    }
    int estimated = importanceSamples > 0 && vae.hasLikelihood()
        ? (importanceLimit > 0 ? Math.min(importanceLimit, images.length) : images.length) : 0;
    double[] logP = estimated == 0 ? null : vae.logLikelihood(java.util.Arrays.copyOf(images, estimated),
        importanceSamples, seed, progress);
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
        (System.nanoTime() - start) / 1e9, rows);
  }

  private static float[] negate(float[] v) {
    float[] out = new float[v.length];
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
    m.put("test_images", (double) perImage.size());
    return m;
  }

  /** The summary as JSON (evaluation.json). */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_data", testData);
    m.put("images", perImage.size());
    m.put("elbo_estimate", "score signature: 8 fixed noise draws per image");
    m.putAll(cardMetrics());
    if (importanceSamples > 0) {
      m.put("test_nll", -logLikelihood);
      m.put("importance_seed", seed);
    }
    m.put("seconds", seconds);
    return Json.write(m) + "\n";
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
