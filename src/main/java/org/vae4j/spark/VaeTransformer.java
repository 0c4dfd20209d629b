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

  private final String uid;
  private final Param<String> modelPath;
  private final Param<String> inputCol;
  private final Param<String> errorCol;
  private final IntParam batchSize;
  private final BooleanParam trusted;
  private final LongParam seed;

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

  public final Param<String> modelPath() {
    return modelPath;
  }

  public final Param<String> inputCol() {
    return inputCol;
  }

  public final Param<String> errorCol() {
    return errorCol;
  }

  public final IntParam batchSize() {
    return batchSize;
  }

  public final BooleanParam trusted() {
    return trusted;
  }

  public final LongParam seed() {
    return seed;
  }

  public final String getModelPath() {
    return isDefined(modelPath) ? getOrDefault(modelPath) : null;
  }

  public final String getInputCol() {
    return getOrDefault(inputCol);
  }

  public final String getErrorCol() {
    return getOrDefault(errorCol);
  }

  public final int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public final boolean getTrusted() {
    return (Boolean) getOrDefault(trusted);
  }

  public final long getSeed() {
    return (Long) getOrDefault(seed);
  }

  /** Sets a param, returning this transformer (for the fluent setters of the subclasses). */
  @SuppressWarnings("unchecked")
  protected final <V> T put(Param<V> param, V value) {
    set(param, value);
    return (T) this;
  }

  public final T setModelPath(String value) {
    return put(modelPath, value);
  }

  public final T setInputCol(String value) {
    return put(inputCol, value);
  }

  public final T setErrorCol(String value) {
    return put(errorCol, value);
  }

  public final T setBatchSize(int value) {
    return put(batchSize, (Object) value);
  }

  public final T setTrusted(boolean value) {
    return put(trusted, (Object) value);
  }

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
