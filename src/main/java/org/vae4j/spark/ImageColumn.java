package org.vae4j.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.StructType;
import org.vae4j.VaeException;
import org.vae4j.data.ImageBytes;

/**
 * An input column of pictures and how its values become a model's pixels. Three kinds are read: Spark's image data
 * source struct (origin, height, width, nChannels, mode, data: bytes in OpenCV's BGR order), a binary column of
 * encoded files (PNG, JPEG, BMP, GIF) and an array of floats or doubles in [0, 1], height x width x channels with
 * channels last. A value that cannot become the model's pixels is refused with one sentence, for its row alone.
 * An image struct is recognised by its fields height, width and nChannels (int) and data (binary).
 */
final class ImageColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Kind { IMAGE_STRUCT, ENCODED, PIXELS }

  private final String name;
  private final int index;
  private final Kind kind;

  private ImageColumn(String name, int index, Kind kind) {
    this.name = name;
    this.index = index;
    this.kind = kind;
  }

  /**
   * The column {@code name} of {@code schema}.
   *
   * @throws VaeException when there is no such column or it holds none of the three kinds
   */
  static ImageColumn of(StructType schema, String name) {
    if (name == null || !List.of(schema.fieldNames()).contains(name)) {
      throw VaeException.setting("inputCol '" + name + "' is not a column of " + schema.simpleString(), "inputCol");
    }
    DataType type = schema.apply(name).dataType();
    return new ImageColumn(name, schema.fieldIndex(name), kindOf(type).orElseThrow(() -> VaeException.setting(
        "inputCol '" + name + "' is " + type.simpleString() + "; pictures are read from Spark's image struct,"
            + " binary (encoded PNG/JPEG/BMP/GIF) or array<float> (pixels in [0, 1], channels last)", "inputCol")));
  }

  private static java.util.Optional<Kind> kindOf(DataType type) {
    if (type instanceof StructType s && List.of(s.fieldNames()).containsAll(
        List.of("height", "width", "nChannels", "data"))
        && s.apply("height").dataType() instanceof IntegerType && s.apply("width").dataType() instanceof IntegerType
        && s.apply("nChannels").dataType() instanceof IntegerType && s.apply("data").dataType() instanceof BinaryType) {
      return java.util.Optional.of(Kind.IMAGE_STRUCT);
    }
    if (type instanceof BinaryType) {
      return java.util.Optional.of(Kind.ENCODED);
    }
    if (type instanceof ArrayType a && (a.elementType() instanceof FloatType || a.elementType() instanceof DoubleType)) {
      return java.util.Optional.of(Kind.PIXELS);
    }
    return java.util.Optional.empty();
  }

  String name() {
    return name;
  }

  /**
   * The pixels of {@code row}'s picture for a model of shape [height, width, channels].
   *
   * @throws VaeException naming what is wrong with this row's value
   */
  float[] pixels(Row row, int height, int width, int channels) {
    if (row.isNullAt(index)) {
      throw new VaeException("no picture: " + name + " is null");
    }
    return switch (kind) {
      case ENCODED -> ImageBytes.decode((byte[]) row.get(index), height, width, channels);
      case IMAGE_STRUCT -> fromStruct(row.getStruct(index), height, width, channels);
      case PIXELS -> fromArray(row.getList(index), height, width, channels);
    };
  }

  private static float[] fromStruct(Row image, int height, int width, int channels) {
    for (String field : List.of("height", "width", "nChannels", "data")) {
      if (image.isNullAt(image.fieldIndex(field))) {
        throw new VaeException("the picture's " + field + " is null");
      }
    }
    int h = image.getInt(image.fieldIndex("height"));
    int w = image.getInt(image.fieldIndex("width"));
    if (h != height || w != width) {
      throw new VaeException("the picture is " + h + "x" + w + " pixels but the model takes " + height + "x" + width);
    }
    int bands = image.getInt(image.fieldIndex("nChannels"));
    return ImageBytes.interleaved((byte[]) image.get(image.fieldIndex("data")), h, w, bands, true, channels);
  }

  private static float[] fromArray(List<Object> values, int height, int width, int channels) {
    int size = height * width * channels;
    if (values.size() != size) {
      throw new VaeException("the picture has " + values.size() + " values but the model takes " + height + "x"
          + width + "x" + channels + " = " + size);
    }
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      Object v = values.get(i);
      float f = v == null ? Float.NaN : ((Number) v).floatValue();
      if (!(f >= 0f && f <= 1f)) { // NaN fails too
        throw new VaeException("the picture has value " + v + " at index " + i + "; pixels are in [0, 1]");
      }
      out[i] = f;
    }
    return out;
  }
}
