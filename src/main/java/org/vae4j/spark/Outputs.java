package org.vae4j.spark;

import java.io.Serializable;
import org.apache.spark.sql.types.StructField;
import org.vae4j.serve.Vae;

/** What a transformer adds to each row: its columns, and their values for a batch of pictures. */
interface Outputs extends Serializable {
  /** The added columns, in order (the error column is added after them). */
  StructField[] fields();

  /**
   * One array of values (in {@link #fields()} order) per picture.
   *
   * @param seed for estimates that draw noise; the same seed and pictures give the same values
   */
  Object[][] compute(Vae vae, float[][] images, long seed);
}
