package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.VaeException;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.ImageFolders;
import org.vae4j.data.ImageSet;
import org.vae4j.data.NamedDatasets;
import org.vae4j.serve.Vae;
import org.vae4j.spark.ScoreJob;
import org.vae4j.spark.ScoreRequest;

/**
 * {@code vae spark-score}: the Spark scoring job ({@link ScoreJob}) on a master, or under spark-submit with this
 * class's {@code Main}. Spark is a provided dependency: without it on the class path the command says so.
 */
final class SparkScoreCommand extends Command {
  SparkScoreCommand() {
    super("spark-score", "score and encode pictures on Apache Spark: one row per picture with its latent mean, ELBO,"
        + " reconstruction and KL", "--model DIR --output PATH [--data DIR | --dataset NAME | --input PATH] [options]");
  }

  @Override
  Options options() {
    return Args.modelOptions()
        .addOption(Args.value("output", "PATH", "where the results go (a folder of part files; it must not exist)"))
        .addOption(Args.value("format", "parquet|csv", "format of the results (default parquet; csv spreads the"
            + " latent mean over latent_mean_0, latent_mean_1, ...)"))
        .addOption(Args.value("master", "URL", "Spark master, for example local[2] or spark://host:7077 (default:"
            + " spark-submit's, else local[*])"))
        .addOption(Args.value("data", "DIR", "a folder of pictures: every picture under it, decoded on the"
            + " executors and labelled with the first folder under DIR; or a folder of idx files: its test split"))
        .addOption(Args.value("dataset", "NAME", "the test split of a data set by name (see 'vae datasets'); default:"
            + " the model's own data set"))
        .addOption(Args.value("input", "PATH", "a table of pictures Spark reads (see --input-format)"))
        .addOption(Args.value("input-format", "FORMAT", "format of --input: parquet, orc, json, image (a folder of"
            + " pictures as Spark's image struct) or binaryFile (default parquet)"))
        .addOption(Args.value("input-col", "NAME", "picture column of --input: image struct, binary or array<float>"
            + " (default image, content for binaryFile)"))
        .addOption(Args.value("binarize", "auto|none|static", "pixels of --dataset and idx files: as the model was"
            + " trained (auto), gray levels (none) or binarized once with the fixed test seed (default auto)"))
        .addOption(Args.value("limit", "N", "score the first N test images of --dataset or idx files only"))
        .addOption(Args.flag("offline", "never download a data set"))
        .addOption(Args.value("batch-size", "N", "rows of a partition gathered into one call of the model"
            + " (default 256)"))
        .addOption(Args.value("importance-samples", "K", "add the importance-sampled log-likelihood with K samples"
            + " per picture (default 0: none)"))
        .addOption(Args.flag("baseline", "also time the same work through Vae in this process, for Spark's"
            + " overhead (pictures read by the driver only)"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, SparkScoreCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UsageException("Apache Spark is not on the class path: run spark-score through bin/vae, which adds"
          + " target/spark-lib, or through spark-submit");
    }
    String output = line.getOptionValue("output"); // as given: hdfs://host/..., s3a://bucket/... or a local path
    if (output == null || output.isBlank()) {
      throw new UsageException("--output is required");
    }
    String format = line.getOptionValue("format", "parquet").toLowerCase(Locale.ROOT);
    if (!ScoreRequest.OUTPUT_FORMATS.contains(format)) {
      throw new UsageException("--format must be parquet or csv, got '" + format + "'");
    }
    int batch = Args.integer(line, "batch-size", 256, 1, 65_536);
    int samples = Args.integer(line, "importance-samples", 0, 0, Vae.MAX_IMPORTANCE_SAMPLES);
    int limit = Args.integer(line, "limit", 0, 0, Integer.MAX_VALUE);
    Path model = Args.requiredPath(line, "model");
    boolean trusted = line.hasOption("trust");
    int sources = (line.hasOption("input") ? 1 : 0) + (line.hasOption("data") || line.hasOption("dataset") ? 1 : 0);
    if (sources > 1) {
      throw new UsageException("give one of --data, --dataset or --input");
    }
    Args.onlyWith(line, "input-format", line.hasOption("input"), "with --input");
    Args.onlyWith(line, "input-col", line.hasOption("input"), "with --input");
    String folder = line.hasOption("dataset") ? null : pictureFolder(line.getOptionValue("data"));
    checkDriverOptions(line, !line.hasOption("input") && folder == null);
    String master = line.getOptionValue("master");
    try {
      // Spark first: a model shipped with the job's archives is found through it
      Vae vae = ScoreJob.openModel(model.toString(), trusted, master);
      ScoreRequest request;
      ImageSet driverImages = null;
      if (!line.hasOption("input") && folder == null && !line.hasOption("data") && !line.hasOption("dataset")) {
        folder = trainedOnFolder(vae); // the model's own pictures, when it was trained on a folder
        checkDriverOptions(line, folder == null);
      }
      if (line.hasOption("input")) {
        request = new ScoreRequest(model.toString(), trusted, null, null, line.getOptionValue("input"),
            line.getOptionValue("input-format", "parquet"), line.getOptionValue("input-col"), output, format, batch,
            samples, master);
      } else if (folder != null) {
        request = new ScoreRequest(model.toString(), trusted, null, folder, null, null, null, output, format, batch,
            samples, master);
      } else {
        TestImages test = TestImages.of(driverData(line, io, vae), line.getOptionValue("binarize", "auto"), vae,
            limit);
        io.err().println("scoring the " + test.description());
        driverImages = test.images();
        request = new ScoreRequest(model.toString(), trusted, driverImages, null, null, null, null, output, format,
            batch, samples, master);
      }
      ScoreJob.Summary summary = ScoreJob.run(request);
      io.out().printf(Locale.ROOT, "wrote %,d rows (%,d with an error) to %s in %.1f s: %,.0f images/s%n",
          summary.rows(), summary.errors(), summary.output(), summary.seconds(), summary.imagesPerSecond());
      if (line.hasOption("baseline")) {
        baseline(io, model, trusted, driverImages, batch, samples, summary);
      }
      return Main.OK; // rows that could not be scored are in the results with their reason; the job did its work
    } finally {
      ScoreJob.stopSpark(); // before the JVM exits, so a cluster manager sees the application finish
    }
  }

  /** Refuses the options that only pictures read by the driver take, when they are read elsewhere. */
  private static void checkDriverOptions(CommandLine line, boolean driverReads) {
    String when = "with pictures the driver reads (--dataset or idx files)";
    for (String option : new String[] {"limit", "baseline", "binarize", "offline"}) {
      Args.onlyWith(line, option, driverReads, when);
    }
  }

  /**
   * The picture folder --data names, for the executors to read (a URI as given, a local folder as a file: URI), or
   * null when it holds idx files, which the driver reads.
   */
  private static String pictureFolder(String data) {
    if (data == null) {
      return null;
    }
    if (data.matches("[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
      return data; // hdfs://, s3a://, file://: read by Spark, not checked here
    }
    Path dir = Path.of(data);
    boolean idx = Files.isRegularFile(dir.resolve(IdxDatasets.TEST_IMAGES))
        || Files.isRegularFile(dir.resolve(IdxDatasets.TEST_IMAGES + ".gz"));
    if (idx) {
      return null;
    }
    if (!Files.isDirectory(dir) || !ImageFolders.looksLikeImages(dir)) {
      throw new UsageException(dir + " holds neither pictures nor idx files");
    }
    // a file: URI, so that Spark reads the local folder even when its default file system is HDFS
    return dir.toAbsolutePath().normalize().toUri().toString();
  }

  /** The folder a model was trained on, when its data set is one (else null: a named data set). */
  private static String trainedOnFolder(Vae vae) {
    String trainedOn = vae.card().dataset();
    if (NamedDatasets.catalog().stream().anyMatch(e -> e.name().equals(trainedOn))) {
      return null;
    }
    if (!Files.isDirectory(Path.of(trainedOn))) {
      throw new UsageException("the model was trained on " + trainedOn + ", which is not here; give its pictures"
          + " with --data DIR, --dataset NAME or --input PATH");
    }
    return pictureFolder(trainedOn);
  }

  private static Dataset driverData(CommandLine line, Io io, Vae vae) {
    String name = line.getOptionValue("dataset", line.hasOption("data") ? null : vae.card().dataset());
    Path dir = Args.path(line, "data");
    if (name == null) {
      return IdxDatasets.folder(dir);
    }
    if (dir != null) {
      return name.equals("mnist") ? IdxDatasets.folder(dir) : NamedDatasets.loadFrom(NamedDatasets.entry(name), dir);
    }
    return DataOptions.named(name, line, io);
  }

  /** The same pictures through {@link Vae} in this process: encode, then score, in batches of {@code batch}. */
  private static void baseline(Io io, Path model, boolean trusted, ImageSet images, int batch, int samples,
      ScoreJob.Summary spark) {
    Vae vae = ScoreJob.openModel(model.toString(), trusted, null); // the job's own, shared: not closed here
    float[][] all = images.images(0, images.count());
    long start = System.nanoTime();
    for (int from = 0; from < all.length; from += batch) {
      float[][] part = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + batch));
      vae.encode(part);
      vae.likelihood().orElseThrow().score(part);
      if (samples > 0) {
        vae.likelihood().orElseThrow().logLikelihood(part, samples, from);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = all.length / seconds;
    io.out().printf(Locale.ROOT, "baseline: Vae.encode + Vae.score in this process, batches of %d: %,d images in"
        + " %.1f s: %,.0f images/s; Spark's job runs at %.2f x that rate%n", batch, all.length, seconds, rate,
        spark.imagesPerSecond() / rate);
  }
}
