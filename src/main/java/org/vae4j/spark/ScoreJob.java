package org.vae4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vae4j.VaeException;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.Vae;

/**
 * The ready scoring job ({@code vae spark-score}, or spark-submit with the command line's main class): one row per
 * picture with its path or index, its label when known, its latent mean, ELBO, reconstruction log-likelihood and KL,
 * and the reason when a picture could not be scored. Results are written under a temporary name beside the output
 * and renamed when complete, so a failed job leaves no half-written output, and an existing output is never
 * replaced.
 */
public final class ScoreJob {
  /**
   * The job's figures: rows written, rows with an error, and the seconds from reading to the renamed output.
   *
   * @param rows the rows written, one per picture
   * @param errors the rows among them whose picture could not be scored
   * @param seconds the seconds from reading the pictures to the renamed output
   * @param output where the results were written
   */
  public record Summary(long rows, long errors, double seconds, String output) {
    /** The rows written per second of the job. */
    public double imagesPerSecond() {
      return rows / seconds;
    }
  }

  /** OpenCV's type codes of 8-bit pictures with one and three channels, as Spark's image struct records them. */
  private static final int CV_8UC1 = 0;
  private static final int CV_8UC3 = 16;

  private ScoreJob() {}

  /**
   * Starts Spark on {@code master} (or spark-submit's), then loads the model as the executors will find it (a local
   * folder, or one shipped with the job's archives) and checks that it has a likelihood to score. The model stays
   * loaded for the JVM's life and is shared with the executors of a local master; do not close it.
   *
   * @throws VaeException when the model cannot be found or loaded, or has no likelihood
   */
  public static Vae openModel(String model, boolean trusted, String master) {
    try {
      SparkSessions.local(master, "vae4j spark-score");
    } catch (VaeException e) {
      throw e;
    } catch (Exception e) { // Spark's checked exceptions too
      throw VaeException.setting("Spark cannot start on master '" + master + "': " + firstLine(e.getMessage()),
          "master");
    }
    Vae vae = ExecutorModels.get(model, trusted);
    if (vae.likelihood().isEmpty()) {
      throw new VaeException("the model at " + vae.path() + " has no likelihood (it was trained with a squared-error"
          + " loss), so it has no ELBO to score");
    }
    if (vae.conditioning().labelled()) {
      throw new VaeException("the model at " + vae.path() + " is conditioned on a label; spark-score scores"
          + " unconditional models (score a conditional one with evaluate, which reads each image's label)");
    }
    if (vae.conditioning().masked()) {
      throw new VaeException("the model at " + vae.path() + " observes a random mask of each image; spark-score"
          + " scores images alone (score it with evaluate, which draws the masks from its seed)");
    }
    return vae;
  }

  /** Stops this JVM's Spark session, if one runs (the models stay loaded). */
  public static void stopSpark() {
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      running.get().stop();
    }
  }

  /** Runs {@code request} on its master (or spark-submit's), checking the model on the driver first. */
  public static Summary run(ScoreRequest request) {
    openModel(request.model(), request.trusted(), request.master());
    return run(SparkSessions.local(request.master(), "vae4j spark-score"), request);
  }

  /**
   * Runs {@code request} in {@code spark}.
   *
   * @throws VaeException when the output exists, the input cannot be read, or the job fails; its message is one
   *     sentence (Spark's own errors are cut to their first line, a vae4j error from an executor is passed on)
   */
  public static Summary run(SparkSession spark, ScoreRequest request) {
    try {
      return write(spark, request);
    } catch (VaeException e) {
      throw e;
    } catch (Exception e) { // Scala declares nothing: Spark's checked exceptions arrive here too
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        throw new VaeException("Spark refused the job: " + firstLine(e.getMessage()), e);
      }
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof VaeException v) {
          throw new VaeException("the Spark job failed: " + v.getMessage(), e);
        }
      }
      throw new VaeException("the Spark job failed: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    String m = String.valueOf(message).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static Summary write(SparkSession spark, ScoreRequest request) {
    org.apache.hadoop.fs.Path given = new org.apache.hadoop.fs.Path(request.output());
    FileSystem fs = fileSystem(spark, given);
    org.apache.hadoop.fs.Path out = fs.makeQualified(given);
    if (exists(fs, out)) {
      throw VaeException.setting(request.output() + " exists already; results never replace it: choose a new"
          + " output", "output");
    }
    long start = System.nanoTime();
    Dataset<Row> pictures = pictures(spark, request);
    String picture = request.column();
    List<Column> columns = new ArrayList<>();
    List<String> names = List.of(pictures.columns());
    if (!names.contains("path") && request.images() == null
        && pictures.schema().apply(picture).dataType() instanceof StructType struct
        && List.of(struct.fieldNames()).contains("origin")) {
      // where each picture of Spark's image source came from
      columns.add(functions.col(picture + ".origin").alias("path"));
    }
    boolean files = request.pictureFolder() != null || "binaryFile".equals(request.tableFormat());
    for (String name : names) {
      // the picture goes; so do the binaryFile reader's own size and time columns, the user's columns stay
      if (!name.equals(picture) && !(files && (name.equals("modificationTime") || name.equals("length")))) {
        columns.add(functions.col(name));
      }
    }
    Dataset<Row> encoded = new VaeEncoder().setModelPath(request.model()).setTrusted(request.trusted())
        .setInputCol(picture).setBatchSize(request.batchSize()).setErrorCol("encode_error")
        .transform(pictures);
    Dataset<Row> scored = new VaeScorer().setModelPath(request.model()).setTrusted(request.trusted())
        .setInputCol(picture).setBatchSize(request.batchSize())
        .setImportanceSamples(request.importanceSamples()).transform(encoded);
    if ("csv".equals(request.outputFormat())) {
      int z = ExecutorModels.get(request.model(), request.trusted()).latentDim();
      for (int j = 0; j < z; j++) {
        columns.add(functions.col("latent_mean").getItem(j).alias("latent_mean_" + j));
      }
    } else {
      columns.add(functions.col("latent_mean"));
    }
    for (String n : request.importanceSamples() > 0
        ? List.of("elbo", "reconstruction", "kl", "log_likelihood", "vae_error")
        : List.of("elbo", "reconstruction", "kl", "vae_error")) {
      columns.add(functions.col(n));
    }
    org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(out.getParent(),
        "." + out.getName() + ".part-" + java.util.UUID.randomUUID());
    try {
      scored.select(columns.toArray(new Column[0])).write().format(request.outputFormat()).option("header", "true")
          .save(temp.toString());
    } catch (Exception e) { // Spark's checked exceptions too (rethrown as they are, translated by run)
      delete(fs, temp);
      throw e;
    }
    // complete results are never deleted from here on: a failure says where they are
    boolean renamed;
    try {
      if (fs.exists(out)) {
        throw new VaeException(out + " appeared while the job ran; the results are kept in " + temp);
      }
      renamed = fs.rename(temp, out);
    } catch (java.io.IOException e) {
      throw new VaeException("the results are complete in " + temp + " but could not be renamed to " + out + ": "
          + e.getMessage(), e);
    }
    if (!renamed) {
      throw new VaeException("the results are complete in " + temp + " but could not be renamed to " + out);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Dataset<Row> written = spark.read().format(request.outputFormat()).option("header", "true").load(out.toString());
    return new Summary(written.count(), written.filter(functions.col("vae_error").isNotNull()).count(), seconds,
        request.output());
  }

  /** The request's pictures as a table: pixels read by the driver, a folder's files, or a table. */
  static Dataset<Row> pictures(SparkSession spark, ScoreRequest request) {
    if (request.images() != null) {
      // as Spark's image structs: a byte per pixel (a quarter of floats' size) that becomes exactly the floats the
      // data set gives (ImageBytes and ImageSet convert bytes alike); color goes in OpenCV's BGR order
      ImageSet images = request.images();
      int c = images.channels();
      List<Row> rows = new ArrayList<>(images.count());
      for (int i = 0; i < images.count(); i++) {
        byte[] data = images.bytes(i);
        if (c == 3) {
          for (int p = 0; p < data.length; p += 3) {
            byte red = data[p];
            data[p] = data[p + 2];
            data[p + 2] = red;
          }
        }
        Row image = RowFactory.create("", images.height(), images.width(), c, c == 3 ? CV_8UC3 : CV_8UC1, data);
        rows.add(RowFactory.create(i, images.hasLabels() && images.label(i) >= 0 ? images.label(i) : null, image));
      }
      StructType schema = new StructType().add("index", DataTypes.IntegerType).add("label", DataTypes.IntegerType)
          .add("image", ImageSchema.columnSchema());
      // the rows travel inside the tasks: enough partitions that none carries much more than a quarter megabyte
      long bytes = (long) images.count() * images.imageSize();
      int partitions = (int) Math.max(spark.sparkContext().defaultParallelism(), Math.min(10_000, bytes >> 18));
      return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows,
          partitions), schema);
    }
    if (request.pictureFolder() != null) {
      // every picture file under the folder (suffixes in any case), decoded on the executors; as in ImageFolders,
      // the first subfolder under it is the label, and pictures right in it have none
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(request.pictureFolder());
      String root = fileSystem(spark, dir).makeQualified(dir).toString();
      Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
          .option("pathGlobFilter", "*.{[pP][nN][gG],[jJ][pP][gG],[jJ][pP][eE][gG],[bB][mM][pP],[gG][iI][fF]}")
          .load(request.pictureFolder());
      Column sub = functions.regexp_extract(functions.col("path"),
          "^" + java.util.regex.Pattern.quote(root.endsWith("/") ? root : root + "/") + "([^/]+)/", 1);
      Column label = functions.when(sub.equalTo(""), functions.lit(null).cast(DataTypes.StringType)).otherwise(sub);
      return files.select(functions.col("path"), label.alias("label"), functions.col("content"));
    }
    return spark.read().format(request.tableFormat()).load(request.table());
  }

  private static FileSystem fileSystem(SparkSession spark, org.apache.hadoop.fs.Path path) {
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (java.io.IOException e) {
      throw VaeException.setting("output " + path + " is on no file system this job can write: " + e.getMessage(),
          "output");
    }
  }

  private static boolean exists(FileSystem fs, org.apache.hadoop.fs.Path path) {
    try {
      return fs.exists(path);
    } catch (java.io.IOException e) {
      throw VaeException.setting("cannot check output " + path + ": " + e.getMessage(), "output");
    }
  }

  private static void delete(FileSystem fs, org.apache.hadoop.fs.Path path) {
    try {
      fs.delete(path, true);
    } catch (java.io.IOException e) {
      // the temporary folder stays; its name says what it is
    }
  }
}
