package org.vae4j.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.vae4j.serve.Vae;

/**
 * Adds each picture's latent code: the encoder's mean and standard deviation, as {@code array<float>} columns
 * (latent_mean and latent_stddev unless renamed), with {@link Vae#encode}'s values.
 */
public final class VaeEncoder extends VaeTransformer<VaeEncoder> {
  private static final long serialVersionUID = 1L;

  /** The param of the latent mean column's name. */
  private final Param<String> meanCol = new Param<>(this, "meanCol", "the latent mean column (array<float>)");
  /** The param of the latent stddev column's name. */
  private final Param<String> stddevCol = new Param<>(this, "stddevCol", "the latent stddev column (array<float>)");

  /** An encoder with a random id and every param at its default. */
  public VaeEncoder() {
    this(Identifiable.randomUID("vaeEncoder"));
  }

  /** An encoder with id {@code uid} and every param at its default. */
  public VaeEncoder(String uid) {
    super(uid);
    setDefault(meanCol, "latent_mean");
    setDefault(stddevCol, "latent_stddev");
  }

  /** Spark ML's reader of saved encoders (what {@code Pipeline} loading calls). */
  public static MLReader<VaeEncoder> read() {
    return new DefaultParamsReadable<VaeEncoder>() {}.read();
  }

  /** Loads an encoder saved at {@code path}. */
  public static VaeEncoder load(String path) {
    return read().load(path);
  }

  /** The param of the latent mean column; {@code latent_mean} by default. */
  public Param<String> meanCol() {
    return meanCol;
  }

  /** The param of the latent stddev column; {@code latent_stddev} by default. */
  public Param<String> stddevCol() {
    return stddevCol;
  }

  /** Sets the latent mean column's name. */
  public VaeEncoder setMeanCol(String value) {
    return put(meanCol, value);
  }

  /** Sets the latent stddev column's name. */
  public VaeEncoder setStddevCol(String value) {
    return put(stddevCol, value);
  }

  @Override
  protected Outputs outputs() {
    return new Columns(getOrDefault(meanCol), getOrDefault(stddevCol));
  }

  private record Columns(String mean, String stddev) implements Outputs {
    @Override
    public StructField[] fields() {
      return new StructField[] {
          DataTypes.createStructField(mean, DataTypes.createArrayType(DataTypes.FloatType, false), true),
          DataTypes.createStructField(stddev, DataTypes.createArrayType(DataTypes.FloatType, false), true)};
    }

    @Override
    public Object[][] compute(Vae vae, float[][] images, long seed) {
      Vae.Encoding e = vae.encode(images);
      Object[][] out = new Object[images.length][];
      for (int i = 0; i < images.length; i++) {
        out[i] = new Object[] {boxed(e.mean()[i]), boxed(e.stddev()[i])};
      }
      return out;
    }
  }

  static Float[] boxed(float[] values) {
    Float[] out = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
