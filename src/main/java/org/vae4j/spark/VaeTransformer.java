package org.vae4j.spark;

import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.vae4j.VaeException;

/**
 * What {@link VaeEncoder} and {@link VaeScorer} share: the model, the picture column, the batch size, the error
 * column, and the work on partitions ({@link PartitionScoring}). Settings are Spark ML params, so a transformer sits
 * in a {@code Pipeline} and saves and loads with it. The setters return the transformer itself ({@code T}).
 */
public abstract class VaeTransformer<T extends VaeTransformer<T>> extends Transformer
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  /** The transformer's unique id in a pipeline. */
  private final String uid;
  /** The param of the model's folder. */
  private final Param<String> modelPath;
  /** The param of the picture column's name. */
  private final Param<String> inputCol;
  /** The param of the error column's name. */
  private final Param<String> errorCol;
  /** The param of the rows per TensorFlow call. */
  private final IntParam batchSize;
  /** The param of whether the model's graph is trusted. */
  private final BooleanParam trusted;
  /** The param of the seed of estimates that draw noise. */
  private final LongParam seed;

  /** A transformer with id {@code uid} and every param at its default (the model path has none). */
  protected VaeTransformer(String uid) {
    this.uid = uid;
    modelPath = new Param<>(this, "modelPath", "the vae4j SavedModel: a version folder or a base folder of versions,"
        + " on storage every executor reads, or shipped with the job");
    inputCol = new Param<>(this, "inputCol", "the picture column: Spark's image struct, binary (encoded PNG, JPEG,"
        + " BMP or GIF) or array<float> of pixels in [0, 1], channels last");
    errorCol = new Param<>(this, "errorCol", "the column that says why a row has no results (null when it has)");
    batchSize = new IntParam(this, "batchSize", "rows per TensorFlow call within a partition (> 0)");
    trusted = new BooleanParam(this, "trusted", "whether the model's graph is trusted (skips the check that"
        + " refuses graphs reaching outside the model)");
    seed = new LongParam(this, "seed", "seed of estimates that draw noise");
    setDefault(inputCol, "image");
    setDefault(errorCol, "vae_error");
    setDefault(batchSize, (Object) 256);
    setDefault(trusted, (Object) false);
    setDefault(seed, (Object) 0L);
  }

  @Override
  public final String uid() {
    return uid;
  }

  /** The param of the vae4j SavedModel's folder (a version folder or a base folder of versions); no default. */
  public final Param<String> modelPath() {
    return modelPath;
  }

  /** The param of the picture column: image struct, binary or array of floats; {@code image} by default. */
  public final Param<String> inputCol() {
    return inputCol;
  }

  /** The param of the column that says why a row has no results; {@code vae_error} by default. */
  public final Param<String> errorCol() {
    return errorCol;
  }

  /** The param of the rows per TensorFlow call within a partition; 256 by default. */
  public final IntParam batchSize() {
    return batchSize;
  }

  /** The param of whether the model's graph is trusted; false by default. */
  public final BooleanParam trusted() {
    return trusted;
  }

  /** The param of the seed of estimates that draw noise; 0 by default. */
  public final LongParam seed() {
    return seed;
  }

  /** The model's folder, or null while it is not set. */
  public final String getModelPath() {
    return isDefined(modelPath) ? getOrDefault(modelPath) : null;
  }

  /** The picture column's name. */
  public final String getInputCol() {
    return getOrDefault(inputCol);
  }

  /** The error column's name. */
  public final String getErrorCol() {
    return getOrDefault(errorCol);
  }

  /** The rows per TensorFlow call within a partition. */
  public final int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  /** Whether the model's graph is trusted. */
  public final boolean getTrusted() {
    return (Boolean) getOrDefault(trusted);
  }

  /** The seed of estimates that draw noise. */
  public final long getSeed() {
    return (Long) getOrDefault(seed);
  }

  /** Sets a param, returning this transformer (for the fluent setters of the subclasses). */
  @SuppressWarnings("unchecked")
  protected final <V> T put(Param<V> param, V value) {
    set(param, value);
    return (T) this;
  }

  /** Sets the model's folder, on storage every executor reads or shipped with the job. */
  public final T setModelPath(String value) {
    return put(modelPath, value);
  }

  /** Sets the picture column's name. */
  public final T setInputCol(String value) {
    return put(inputCol, value);
  }

  /** Sets the error column's name. */
  public final T setErrorCol(String value) {
    return put(errorCol, value);
  }

  /** Sets the rows per TensorFlow call within a partition (at least 1). */
  public final T setBatchSize(int value) {
    return put(batchSize, (Object) value);
  }

  /** Sets whether the model's graph is trusted (skips the check that refuses graphs reaching outside the model). */
  public final T setTrusted(boolean value) {
    return put(trusted, (Object) value);
  }

  /** Sets the seed of estimates that draw noise. */
  public final T setSeed(long value) {
    return put(seed, (Object) value);
  }

  /** The columns this transformer adds, and how their values are computed. */
  protected abstract Outputs outputs();

  /** Checks the subclass's own params; throws {@link VaeException} naming them. */
  protected void checkParams() {}

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    ImageColumn column = ImageColumn.of(dataset.schema(), getInputCol());
    PartitionScoring work = new PartitionScoring(getModelPath(), getTrusted(), column, outputs(), getBatchSize(),
        getSeed());
    return dataset.toDF().mapPartitions(work, Encoders.row(out));
  }

  /**
   * The input schema with the added columns and the error column.
   *
   * @throws VaeException when a param is invalid, the picture column is missing or of another type, or an added
   *     column already exists
   */
  @Override
  public StructType transformSchema(StructType schema) {
    if (getModelPath() == null || getModelPath().isBlank()) {
      throw VaeException.setting("modelPath is not set: give the vae4j model's folder", "modelPath");
    }
    if (getBatchSize() < 1) {
      throw VaeException.setting("batchSize must be at least 1, got " + getBatchSize(), "batchSize");
    }
    checkParams();
    ImageColumn.of(schema, getInputCol());
    StructType out = schema;
    List<String> existing = List.of(schema.fieldNames());
    StructField[] added = outputs().fields();
    StructField[] all = java.util.Arrays.copyOf(added, added.length + 1);
    all[added.length] = DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true);
    for (StructField f : all) {
      if (existing.contains(f.name()) || out.getFieldIndex(f.name()).isDefined()) {
        throw VaeException.setting("the output column '" + f.name() + "' exists already; choose another name",
            "outputCol");
      }
      out = out.add(f);
    }
    return out;
  }

  @Override
  public T copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
