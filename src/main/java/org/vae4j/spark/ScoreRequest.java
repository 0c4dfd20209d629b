package org.vae4j.spark;

import java.util.List;
import org.vae4j.VaeException;
import org.vae4j.data.ImageSet;

/**
 * What {@link ScoreJob} scores and where it writes: one source of pictures (images read by the driver, a folder of
 * picture files, or a table) and the output.
 *
 * @param model the vae4j SavedModel (version or base folder) every executor can read
 * @param trusted whether the model's graph is trusted
 * @param images pictures the driver has read (a test set, with its labels when it has them); null for the others
 * @param pictureFolder a folder whose picture files (recursively) are read and decoded on the executors, each labelled with
 *     the name of the folder holding it; null otherwise
 * @param table a table Spark reads ({@code tableFormat}: parquet, orc, json, image or binaryFile); null otherwise
 * @param tableFormat the table's format
 * @param pictureColumn the table's picture column (image struct, binary or array of floats); null for the usual
 * @param output where the results go (a folder of part files, as Spark writes); it must not exist yet
 * @param outputFormat parquet or csv (csv spreads the latent mean over latent_mean_0, latent_mean_1, ...)
 * @param batchSize rows per TensorFlow call
 * @param importanceSamples K of the importance-sampled log-likelihood column (0: none)
 * @param master Spark's master URL; null for spark-submit's or local[*]
 */
public record ScoreRequest(String model, boolean trusted, ImageSet images, String pictureFolder,
    String table, String tableFormat, String pictureColumn, String output, String outputFormat, int batchSize,
    int importanceSamples, String master) {
  /** The formats a table is read in. */
  public static final List<String> TABLE_FORMATS = List.of("parquet", "orc", "json", "image", "binaryFile");
  /** The formats results are written in. */
  public static final List<String> OUTPUT_FORMATS = List.of("parquet", "csv");

  /** @throws VaeException naming the field at fault */
  public ScoreRequest {
    int sources = (images != null ? 1 : 0) + (pictureFolder != null ? 1 : 0) + (table != null ? 1 : 0);
    if (sources != 1) {
      throw VaeException.setting("give exactly one source of pictures: images, pictureFolder or table (got " + sources
          + ")", "images", "pictureFolder", "table");
    }
    if (table != null && !TABLE_FORMATS.contains(tableFormat)) {
      throw VaeException.setting("tableFormat must be one of " + TABLE_FORMATS + ", got '" + tableFormat + "'",
          "tableFormat");
    }
    if (!OUTPUT_FORMATS.contains(outputFormat)) {
      throw VaeException.setting("outputFormat must be parquet or csv, got '" + outputFormat + "'", "outputFormat");
    }
    if (output == null || output.isBlank()) {
      throw VaeException.setting("output is not set: give the folder the results go to", "output");
    }
    if (batchSize < 1) {
      throw VaeException.setting("batchSize must be at least 1, got " + batchSize, "batchSize");
    }
  }

  /** The picture column: as named, else content for files read as bytes, else image. */
  public String column() {
    if (pictureColumn != null) {
      return pictureColumn;
    }
    return pictureFolder != null || "binaryFile".equals(tableFormat) ? "content" : "image";
  }
}
