package org.vae4j.internal.train;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;
import org.vae4j.spec.EpochStats;

/**
 * The per-epoch record of a training run, in three forms: {@code metrics.csv} (rewritten whole, atomically),
 * {@code metrics.jsonl} (one JSON object per epoch, appended) and a TensorBoard event file (scalars and the sample
 * grid), all in the run folder, so {@code tensorboard --logdir runs} shows every run.
 *
 * <p>For models with a likelihood the objective is called {@code elbo}; for mse models {@code loss} (the training
 * objective, squared error + KL), never an ELBO.
 */
public final class RunLog implements Closeable {
  private final Path dir;
  private final boolean likelihood;
  private final EventFile events;
  private final List<String> csvRows = new ArrayList<>();

  private RunLog(Path dir, boolean likelihood, int firstEpoch) throws IOException {
    this.dir = dir;
    this.likelihood = likelihood;
    if (firstEpoch > 1) {
      keepEpochsBefore(firstEpoch);
    }
    events = EventFile.create(dir);
  }

  /** Starts the logs of a new run in {@code dir}. */
  public static RunLog open(Path dir, boolean likelihood) throws IOException {
    return new RunLog(dir, likelihood, 1);
  }

  /**
   * Continues the logs of a resumed run at {@code firstEpoch}: rows of that epoch and later (written before the
   * interruption, after the checkpoint resumed from) are dropped, since the epoch is run again. TensorBoard gets a
   * new event file beside the old one and reads both.
   */
  public static RunLog resume(Path dir, boolean likelihood, int firstEpoch) throws IOException {
    return new RunLog(dir, likelihood, firstEpoch);
  }

  private void keepEpochsBefore(int firstEpoch) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    if (Files.exists(csv)) {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      for (String row : lines.subList(Math.min(1, lines.size()), lines.size())) {
        if (epochOf(row, false) < firstEpoch) {
          csvRows.add(row);
        }
      }
      Files2.writeAtomically(csv, csv().getBytes(StandardCharsets.UTF_8));
    }
    Path jsonl = dir.resolve("metrics.jsonl");
    if (Files.exists(jsonl)) {
      StringBuilder kept = new StringBuilder();
      for (String row : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
        if (epochOf(row, true) < firstEpoch) {
          kept.append(row).append('\n');
        }
      }
      Files2.writeAtomically(jsonl, kept.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The epoch a logged row is about; {@code Integer.MAX_VALUE} (dropped) for a blank row or one cut short by a
   * crash while it was appended.
   */
  static int epochOf(String row, boolean json) {
    try {
      return json ? ((Number) Json.parseObject(row).get("epoch")).intValue()
          : Integer.parseInt(row.substring(0, row.indexOf(',')));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  public Path eventFile() {
    return events.path();
  }

  /** Records an epoch; {@code step} is the number of updates made so far (TensorBoard's x axis). */
  public void epoch(EpochStats s, long step) throws IOException {
    csvRows.add(row(s));
    Files2.writeAtomically(dir.resolve("metrics.csv"), csv().getBytes(StandardCharsets.UTF_8));
    Files.writeString(dir.resolve("metrics.jsonl"), Json.writeLine(flat(s)) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    String objective = likelihood ? "elbo" : "loss";
    double sign = likelihood ? 1 : -1;
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("train/" + objective, sign * s.train().elbo());
    scalars.put("train/" + (likelihood ? "reconstruction_log_likelihood" : "squared_error"),
        sign * s.train().reconstructionLogLikelihood());
    scalars.put("train/kl", s.train().kl());
    scalars.put("test/" + objective, sign * s.test().elbo());
    scalars.put("test/" + (likelihood ? "reconstruction_log_likelihood" : "squared_error"),
        sign * s.test().reconstructionLogLikelihood());
    scalars.put("test/kl", s.test().kl());
    scalars.put("test/active_dimensions", (double) s.test().activeDimensions());
    scalars.put("kl_weight", s.klWeight());
    scalars.put("learning_rate", s.learningRate());
    scalars.put("images_per_second", s.imagesPerSecond());
    events.scalars(step, scalars);
  }

  /** A picture at a step (the sample grid of an epoch). */
  public void image(long step, String tag, byte[] png, int height, int width) throws IOException {
    events.image(step, tag, png, height, width);
  }

  private Map<String, Object> flat(EpochStats s) {
    String objective = likelihood ? "elbo" : "loss";
    String term = likelihood ? "reconstruction_log_likelihood" : "squared_error";
    double sign = likelihood ? 1 : -1;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", s.epoch());
    m.put("train_" + objective, sign * s.train().elbo());
    m.put("train_" + term, sign * s.train().reconstructionLogLikelihood());
    m.put("train_kl", s.train().kl());
    m.put("test_" + objective, sign * s.test().elbo());
    m.put("test_" + term, sign * s.test().reconstructionLogLikelihood());
    m.put("test_kl", s.test().kl());
    List<Object> perDim = new ArrayList<>();
    for (double k : s.test().klPerDimension()) {
      perDim.add(k);
    }
    m.put("test_kl_per_dimension", perDim);
    m.put("kl_weight", s.klWeight());
    m.put("learning_rate", s.learningRate());
    m.put("images_per_second", s.imagesPerSecond());
    m.put("seconds", s.seconds());
    return m;
  }

  /**
   * The CSV of every epoch so far: ELBO and reconstruction log-likelihood for models with a likelihood; loss and
   * squared error (their negatives) for mse models.
   */
  private String csv() {
    String objective = likelihood ? "elbo" : "loss";
    String term = likelihood ? "reconstruction_log_likelihood" : "squared_error";
    StringBuilder csv = new StringBuilder(String.format("epoch,train_%1$s,train_%2$s,train_kl,test_%1$s,test_%2$s,"
        + "test_kl,test_active_dimensions,kl_weight,learning_rate,images_per_second,seconds%n", objective, term));
    for (String row : csvRows) {
      csv.append(row).append('\n');
    }
    return csv.toString();
  }

  private String row(EpochStats s) {
    double sign = likelihood ? 1 : -1;
    return String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%.6g,%.6g,%.1f,%.2f", s.epoch(),
        sign * s.train().elbo(), sign * s.train().reconstructionLogLikelihood(), s.train().kl(),
        sign * s.test().elbo(), sign * s.test().reconstructionLogLikelihood(), s.test().kl(),
        s.test().activeDimensions(), s.klWeight(), s.learningRate(), s.imagesPerSecond(), s.seconds());
  }

  @Override
  public void close() throws IOException {
    events.close();
  }
}
