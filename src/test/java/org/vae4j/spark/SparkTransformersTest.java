package org.vae4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.data.IdxDatasets;
import org.vae4j.serve.Vae;

/** The transformers in Spark's local mode, against {@link Vae} called directly on the same pictures. */
class SparkTransformersTest {
  private static final int N = 96;
  private static SparkSession spark;
  private static float[][] images;
  private static Path model;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    spark = SparkSessions.local("local[2]", "vae4j-test");
    images = IdxDatasets.mnist().test().images(0, N);
    // a copy of its own, so that this JVM has not loaded it before
    model = Fixtures.copyModel(Fixtures.tinyModel().version, dir.resolve("model"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> pixelRows(int partitions) {
    return pixelTable().repartition(partitions);
  }

  /** One partition whose rows keep their order (no shuffle), so every batch holds the same rows in the same places. */
  private static Dataset<Row> pixelRowsInOrder() {
    return pixelTable().coalesce(1);
  }

  private static Dataset<Row> pixelTable() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      rows.add(RowFactory.create(i, VaeEncoder.boxed(images[i])));
    }
    StructType schema = new StructType().add("index", DataTypes.IntegerType)
        .add("image", DataTypes.createArrayType(DataTypes.FloatType));
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void scorerGivesVaeScoresAndLoadsTheModelOncePerExecutor() {
    VaeScorer scorer = new VaeScorer().setModelPath(model.toString()).setBatchSize(20);
    List<Row> out = scorer.transform(pixelRows(3)).orderBy("index").collectAsList();
    Vae.Scores direct = ExecutorModels.get(model.toString(), false).likelihood().orElseThrow().score(images);
    assertEquals(N, out.size());
    for (int i = 0; i < N; i++) {
      Row r = out.get(i);
      // batches of 20 in Spark against 96 at once: TensorFlow's float sums may differ in the last bits
      assertEquals(direct.elbo()[i], r.getDouble(r.fieldIndex("elbo")), Fixtures.float32Tolerance(direct.elbo()[i]));
      assertEquals(direct.reconstructionLogLikelihood()[i], r.getDouble(r.fieldIndex("reconstruction")),
          Fixtures.float32Tolerance(direct.reconstructionLogLikelihood()[i]));
      assertEquals(direct.kl()[i], r.getDouble(r.fieldIndex("kl")), Fixtures.float32Tolerance(direct.kl()[i]) + 1e-6);
      assertTrue(r.isNullAt(r.fieldIndex("vae_error")));
    }
    // three partitions on two task threads, and the check above: one load in this (driver and executor) JVM
    assertEquals(1, ExecutorModels.loads(model.toString(), false));
  }

  @Test
  void encoderGivesVaeMeans() {
    List<Row> out = new VaeEncoder().setModelPath(model.toString()).transform(pixelRows(2)).orderBy("index")
        .collectAsList();
    Vae.Encoding direct = ExecutorModels.get(model.toString(), false).encode(images);
    for (int i = 0; i < N; i++) {
      List<Float> mean = out.get(i).getList(out.get(i).fieldIndex("latent_mean"));
      assertEquals(direct.mean()[i].length, mean.size());
      for (int j = 0; j < mean.size(); j++) {
        assertEquals(direct.mean()[i][j], mean.get(j), 1e-4, "batch 256 in Spark against 96 at once");
      }
    }
  }

  @Test
  void aModelThatNeedsMoreThanPicturesIsRefusedInOneSentence() {
    String masked = Fixtures.maskedModel().version.toString();
    Exception e = assertThrows(Exception.class,
        () -> new VaeEncoder().setModelPath(masked).transform(pixelRows(1)).collectAsList());
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof org.vae4j.VaeException)) {
      cause = cause.getCause();
    }
    // Spark wraps the task's failure; its cause is the one sentence
    assertEquals("the model at " + masked + " observes a random mask of each image; the vae4j transformers score"
        + " pictures alone", cause.getMessage());
  }

  @Test
  void badPicturesGetNullsAndAReasonWhileTheOthersAreScored() throws IOException {
    List<Row> rows = List.of(
        RowFactory.create("good", png(images[0], 28, 28)),
        RowFactory.create("garbage", "not a picture at all".getBytes()),
        RowFactory.create("too large", png(new float[32 * 32], 32, 32)),
        RowFactory.create("missing", null),
        RowFactory.create("good too", png(images[1], 28, 28)));
    StructType schema = new StructType().add("name", DataTypes.StringType).add("png", DataTypes.BinaryType);
    List<Row> out = new VaeScorer().setModelPath(model.toString()).setInputCol("png").setBatchSize(4)
        .transform(spark.createDataFrame(rows, schema).coalesce(1)).collectAsList();
    assertEquals(5, out.size());
    Vae.Scores direct = ExecutorModels.get(model.toString(), false).likelihood().orElseThrow()
        .score(new float[][] {images[0], images[1]});
    for (Row r : out) {
      String name = r.getString(0);
      String error = r.getString(r.fieldIndex("vae_error"));
      if (name.startsWith("good")) {
        assertNull(error, name);
        int i = name.equals("good") ? 0 : 1;
        // PNG keeps the 8-bit gray levels exactly; only the batch differs
        assertEquals(direct.elbo()[i], r.getDouble(r.fieldIndex("elbo")), Fixtures.float32Tolerance(direct.elbo()[i]));
      } else {
        assertNotNull(error, name);
        assertTrue(r.isNullAt(r.fieldIndex("elbo")), name);
      }
    }
    int error = out.get(0).fieldIndex("vae_error");
    assertEquals("png: the bytes are not a PNG, JPEG, BMP or GIF picture", out.get(1).getString(error));
    assertEquals("png: the picture is 32x32 pixels but the model takes 28x28", out.get(2).getString(error));
    assertEquals("png: no picture: png is null", out.get(3).getString(error));
  }

  @Test
  void readsSparksImageSource(@TempDir Path dir) throws IOException {
    for (int i = 0; i < 3; i++) {
      ImageIO.write(gray(images[i], 28, 28), "png", dir.resolve("digit" + i + ".png").toFile());
    }
    Dataset<Row> pictures = spark.read().format("image").load(dir.toString());
    List<Row> out = new VaeScorer().setModelPath(model.toString()).transform(pictures)
        .orderBy(org.apache.spark.sql.functions.col("image.origin")).collectAsList();
    Vae.Scores direct = ExecutorModels.get(model.toString(), false).likelihood().orElseThrow()
        .score(new float[][] {images[0], images[1], images[2]});
    for (int i = 0; i < 3; i++) {
      assertEquals(direct.elbo()[i], out.get(i).getDouble(out.get(i).fieldIndex("elbo")),
          Fixtures.float32Tolerance(direct.elbo()[i]), "batch of 3 either way; a float tolerance all the same");
    }
  }

  @Test
  void savesAndLoadsInAPipeline(@TempDir Path dir) throws IOException {
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VaeEncoder().setModelPath(model.toString()).setMeanCol("z"),
        new VaeScorer().setModelPath(model.toString()).setImportanceSamples(4).setErrorCol("scoring_error")});
    PipelineModel fitted = pipeline.fit(pixelRows(1));
    fitted.write().save(dir.resolve("pipeline").toString());
    PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline").toString());
    VaeScorer scorer = (VaeScorer) loaded.stages()[1];
    assertEquals(4, scorer.getImportanceSamples());
    assertEquals(model.toString(), scorer.getModelPath());
    assertEquals("z", ((VaeEncoder) loaded.stages()[0]).getOrDefault(((VaeEncoder) loaded.stages()[0]).meanCol()));
    Row r = loaded.transform(pixelRows(1)).orderBy("index").first();
    assertTrue(r.getDouble(r.fieldIndex("log_likelihood")) < 0);
    assertTrue(r.isNullAt(r.fieldIndex("scoring_error")));
    assertTrue(r.isNullAt(r.fieldIndex("vae_error")));
  }

  @Test
  void oddValuesAreTheirRowsProblemOnly() {
    float[] outside = images[0].clone();
    outside[5] = 1.5f;
    List<Row> rows = List.of(
        RowFactory.create(0, doubles(images[0]), null),
        RowFactory.create(1, doubles(outside), null),
        RowFactory.create(2, doubles(java.util.Arrays.copyOf(images[0], 700)), null));
    StructType schema = new StructType().add("index", DataTypes.IntegerType)
        .add("image", DataTypes.createArrayType(DataTypes.DoubleType)).add("other", DataTypes.StringType);
    List<Row> out = new VaeScorer().setModelPath(model.toString()).transform(spark.createDataFrame(rows, schema))
        .orderBy("index").collectAsList();
    int error = out.get(0).fieldIndex("vae_error");
    assertNull(out.get(0).getString(error), "array<double> is read like array<float>");
    assertEquals("image: the picture has value 1.5 at index 5; pixels are in [0, 1]", out.get(1).getString(error));
    assertEquals("image: the picture has 700 values but the model takes 28x28x1 = 784", out.get(2).getString(error));
    // an image struct with two bands: a reason, not a failed task
    StructType struct = new StructType().add("image", org.apache.spark.ml.image.ImageSchema.columnSchema());
    Row broken = RowFactory.create(RowFactory.create("x.png", 28, 28, 2, 0, new byte[784]));
    Row fine = RowFactory.create(RowFactory.create("y.png", 28, 28, 1, 0, new byte[784]));
    List<Row> structs = new VaeScorer().setModelPath(model.toString())
        .transform(spark.createDataFrame(List.of(broken, fine), struct)).collectAsList();
    assertEquals("image: the picture has 2 channels; 1 (gray), 3 or 4 (color) can be read",
        structs.get(0).getString(structs.get(0).fieldIndex("vae_error")));
    assertNull(structs.get(1).getString(structs.get(1).fieldIndex("vae_error")));
  }

  @Test
  void theSeedDecidesTheEstimates() {
    VaeScorer scorer = new VaeScorer().setModelPath(model.toString()).setImportanceSamples(8);
    List<Row> a = scorer.transform(pixelRowsInOrder()).orderBy("index").collectAsList();
    List<Row> b = scorer.transform(pixelRowsInOrder()).orderBy("index").collectAsList();
    List<Row> c = scorer.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(99).transform(pixelRowsInOrder())
        .orderBy("index").collectAsList();
    int ll = a.get(0).fieldIndex("log_likelihood");
    // the same graph, shapes, seed, batch and row order in one process: equal by construction (a shuffle could
    // reorder the rows within their batch, hence no repartition here)
    assertEquals(a.get(0).getDouble(ll), b.get(0).getDouble(ll), 0.0);
    assertTrue(a.get(0).getDouble(ll) != c.get(0).getDouble(ll), "another seed, other draws");
  }

  private static Double[] doubles(float[] values) {
    Double[] out = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (double) values[i];
    }
    return out;
  }

  @Test
  void refusesBadSettingsWithOneSentence() {
    Dataset<Row> rows = pixelRows(1);
    VaeException none = assertThrows(VaeException.class, () -> new VaeScorer().transform(rows));
    assertEquals("modelPath is not set: give the vae4j model's folder", none.getMessage());
    VaeException col = assertThrows(VaeException.class,
        () -> new VaeScorer().setModelPath(model.toString()).setInputCol("index").transform(rows));
    assertTrue(col.getMessage().startsWith("inputCol 'index' is int; pictures are read from"), col.getMessage());
    VaeException exists = assertThrows(VaeException.class,
        () -> new VaeScorer().setModelPath(model.toString()).setElboCol("index").transform(rows));
    assertEquals("the output column 'index' exists already; choose another name", exists.getMessage());
    VaeException k = assertThrows(VaeException.class,
        () -> new VaeScorer().setModelPath(model.toString()).setImportanceSamples(-1).transform(rows));
    assertEquals(List.of("importanceSamples"), k.fields());
  }

  static byte[] png(float[] pixels, int h, int w) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(gray(pixels, h, w), "png", out);
    return out.toByteArray();
  }

  private static BufferedImage gray(float[] pixels, int h, int w) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, Math.round(pixels[y * w + x] * 255f));
      }
    }
    return img;
  }
}
