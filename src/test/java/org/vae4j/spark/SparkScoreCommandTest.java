package org.vae4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.cli.MainAccess;

/** {@code vae spark-score} end to end in local mode: rows written, bad files reported, outputs never replaced. */
class SparkScoreCommandTest {
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MainAccess.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }

  private static List<String> csvLines(Path folder) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(folder)) {
      for (Path p : parts.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        List<String> part = Files.readAllLines(p);
        lines.addAll(lines.isEmpty() ? part : part.subList(1, part.size())); // one header
      }
    }
    return lines;
  }

  @Test
  void scoresTestImagesIntoCsvAndNeverReplacesAnOutput(@TempDir Path dir) throws IOException {
    Path model = Fixtures.tinyModel().version;
    Path out = dir.resolve("scores");
    String[] r = run("spark-score", "--model", model.toString(), "--output", out.toString(), "--format", "csv",
        "--master", "local[2]", "--limit", "300", "--batch-size", "64");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].startsWith("wrote 300 rows (0 with an error) to " + out), r[1]);
    List<String> lines = csvLines(out);
    assertEquals(301, lines.size());
    assertTrue(lines.get(0).startsWith("index,label,latent_mean_0,"), lines.get(0));
    assertTrue(lines.get(0).endsWith(",latent_mean_7,elbo,reconstruction,kl,vae_error"), lines.get(0));
    // the driver's pictures reach the executors as bytes and come back as exactly the data set's floats
    assertEquals("none", String.valueOf(Fixtures.tinyModel().card.training().getOrDefault("binarize", "none")));
    org.vae4j.data.ImageSet test = org.vae4j.data.IdxDatasets.mnist().test();
    float[][] images = test.images(0, 300);
    org.vae4j.serve.Vae.Scores direct = ExecutorModels.get(model.toString(), false).likelihood().orElseThrow()
        .score(images);
    List<String> header = List.of(lines.get(0).split(","));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      int i = Integer.parseInt(cells[0]);
      double elbo = Double.parseDouble(cells[header.indexOf("elbo")]);
      // batches of 64 in Spark against 300 at once; CSV keeps a double's shortest text, exact for a float's value
      assertEquals(direct.elbo()[i], elbo, Fixtures.float32Tolerance(direct.elbo()[i]), "image " + i);
      assertEquals(test.label(i), Integer.parseInt(cells[1]));
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(out), left.toList(), "no temporary folder is left beside the output");
    }
    String before = String.join("\n", lines);
    String[] again = run("spark-score", "--model", model.toString(), "--output", out.toString(), "--master",
        "local[2]", "--limit", "10");
    assertEquals("1", again[0]);
    assertEquals("vae spark-score: " + out + " exists already; results never replace it: choose a new --output\n",
        again[2].substring(again[2].indexOf("vae spark-score:")));
    assertEquals(before, String.join("\n", csvLines(out)));
  }

  @Test
  void aFolderOfPicturesIsScoredWithItsBadFilesNamed(@TempDir Path dir) throws IOException {
    Path pictures = Fixtures.pictureFolder(dir.resolve("pictures"), 2, 3, 28, 28, false);
    Path out = dir.resolve("scores.parquet");
    String[] r = run("spark-score", "--model", Fixtures.tinyModel().version.toString(), "--data",
        pictures.toString(), "--output", out.toString(), "--master", "local[2]");
    assertEquals("0", r[0], r[2]);
    // 6 pictures of 28x28, one file that is no picture, one picture of another size
    assertTrue(r[1].startsWith("wrote 8 rows (2 with an error)"), r[1]);
    var spark = SparkSessions.local("local[2]", "vae4j-test");
    var rows = spark.read().parquet(out.toString()).orderBy("path").collectAsList();
    assertEquals(8, rows.size());
    for (var row : rows) {
      String path = row.getString(row.fieldIndex("path"));
      String error = row.getString(row.fieldIndex("vae_error"));
      assertEquals(path.contains("class-a") ? "class-a" : "class-b", row.getString(row.fieldIndex("label")));
      if (path.endsWith("broken.png")) {
        assertEquals("content: the bytes are not a PNG, JPEG, BMP or GIF picture", error);
      } else if (path.endsWith("large.png")) {
        assertEquals("content: the picture is 56x84 pixels but the model takes 28x28", error);
      } else {
        assertEquals(null, error, path);
        assertEquals(8, row.getList(row.fieldIndex("latent_mean")).size());
        assertTrue(row.getDouble(row.fieldIndex("elbo")) < 0);
      }
    }
  }

  @Test
  void aTableKeepsItsOwnColumnsBesideTheScores(@TempDir Path dir) {
    var spark = SparkSessions.local("local[2]", "vae4j-test");
    float[][] images = org.vae4j.data.IdxDatasets.mnist().test().images(0, 5);
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (int i = 0; i < images.length; i++) {
      rows.add(org.apache.spark.sql.RowFactory.create("scan-" + i, VaeEncoder.boxed(images[i])));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("id", org.apache.spark.sql.types.DataTypes.StringType)
        .add("pixels", org.apache.spark.sql.types.DataTypes.createArrayType(
            org.apache.spark.sql.types.DataTypes.FloatType));
    Path table = dir.resolve("scans.parquet");
    spark.createDataFrame(rows, schema).write().parquet(table.toString());
    Path out = dir.resolve("scores");
    String[] r = run("spark-score", "--model", Fixtures.tinyModel().version.toString(), "--input", table.toString(),
        "--input-col", "pixels", "--output", out.toString(), "--master", "local[2]", "--importance-samples", "3");
    assertEquals("0", r[0], r[2]);
    // the command stops its Spark session when it ends: read with a new one
    var written = SparkSessions.local("local[2]", "vae4j-test").read().parquet(out.toString());
    assertEquals(List.of("id", "latent_mean", "elbo", "reconstruction", "kl", "log_likelihood", "vae_error"),
        List.of(written.columns()));
    assertEquals(5, written.filter("vae_error is null and log_likelihood < 0").count());
  }

  @Test
  void picturesKeepWhereTheyCameFromAndTheirTopFolderAsLabel(@TempDir Path dir) throws IOException {
    Path pictures = Files.createDirectories(dir.resolve("pictures").resolve("cats").resolve("2026"));
    float[] digit = org.vae4j.data.IdxDatasets.mnist().test().images(0, 1)[0];
    Files.write(pictures.resolve("a.PNG"), SparkTransformersTest.png(digit, 28, 28));
    Files.write(dir.resolve("pictures").resolve("loose.png"), SparkTransformersTest.png(digit, 28, 28));
    Path out = dir.resolve("scores");
    String[] r = run("spark-score", "--model", Fixtures.tinyModel().version.toString(), "--data",
        dir.resolve("pictures").toString(), "--output", out.toString(), "--master", "local[2]");
    assertEquals("0", r[0], r[2]);
    var spark = SparkSessions.local("local[2]", "vae4j-test");
    var rows = spark.read().parquet(out.toString()).orderBy("path").collectAsList();
    assertEquals(2, rows.size(), "suffixes in any case");
    assertEquals("cats", rows.get(0).getString(rows.get(0).fieldIndex("label")), "the first folder under --data");
    assertTrue(rows.get(1).isNullAt(rows.get(1).fieldIndex("label")), "a picture right in --data has no label");
    // Spark's image source: its origin becomes the path column
    Path out2 = dir.resolve("scores2");
    String[] image = run("spark-score", "--model", Fixtures.tinyModel().version.toString(), "--input",
        pictures.toString(), "--input-format", "image", "--output", out2.toString(), "--master", "local[2]");
    assertEquals("0", image[0], image[2]);
    var withPath = SparkSessions.local("local[2]", "vae4j-test").read().parquet(out2.toString());
    assertEquals("path", withPath.columns()[0]);
    assertTrue(withPath.first().getString(0).endsWith("a.PNG"), withPath.first().toString());
  }

  @Test
  void aJobThatFailsLeavesNothingBehind(@TempDir Path dir) {
    var spark = SparkSessions.local("local[2]", "vae4j-test");
    float[][] images = org.vae4j.data.IdxDatasets.mnist().test().images(0, 2);
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (float[] image : images) {
      rows.add(org.apache.spark.sql.RowFactory.create(VaeEncoder.boxed(image), new int[] {1, 2}));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("image", org.apache.spark.sql.types.DataTypes.createArrayType(
            org.apache.spark.sql.types.DataTypes.FloatType))
        .add("tags", org.apache.spark.sql.types.DataTypes.createArrayType(
            org.apache.spark.sql.types.DataTypes.IntegerType));
    Path table = dir.resolve("t.parquet");
    spark.createDataFrame(rows, schema).write().parquet(table.toString());
    Path out = dir.resolve("scores.csv");
    // CSV cannot hold the kept array column: Spark refuses the write
    String[] r = run("spark-score", "--model", Fixtures.tinyModel().version.toString(), "--input", table.toString(),
        "--output", out.toString(), "--format", "csv", "--master", "local[2]");
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("vae spark-score: Spark refused the job: "), r[2]);
    assertEquals(1, r[2].strip().lines().filter(l -> l.startsWith("vae spark-score")).count(), r[2]);
    assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(table), left.toList(), "no output and no temporary folder");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void optionsThatDoNotFitGetOneSentence(@TempDir Path dir) {
    String model = Fixtures.tinyModel().version.toString();
    String[] limit = run("spark-score", "--model", model, "--output", dir.resolve("o").toString(), "--input",
        dir.toString(), "--limit", "5");
    assertEquals("2", limit[0]);
    assertTrue(limit[2].contains("--limit applies only with pictures the driver reads (--dataset or idx files)"),
        limit[2]);
    String[] format = run("spark-score", "--model", model, "--output", dir.resolve("o").toString(), "--format",
        "xml", "--limit", "5");
    assertEquals("2", format[0]);
    assertTrue(format[2].contains("--format must be parquet or csv, got 'xml'"), format[2]);
    String[] binarize = run("spark-score", "--model", model, "--output", dir.resolve("o").toString(), "--input",
        dir.toString(), "--binarize", "static");
    assertEquals("2", binarize[0]);
    assertTrue(binarize[2].contains("--binarize applies only with pictures the driver reads"), binarize[2]);
    String[] master = run("spark-score", "--model", model, "--output", dir.resolve("o").toString(), "--master",
        "nonsense://x", "--limit", "5");
    assertEquals("1", master[0]);
    assertTrue(master[2].contains("vae spark-score: Spark cannot start on --master 'nonsense://x': "), master[2]);
  }
}
