package org.vae4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.vae4j.VaeException;

/**
 * One picture at a time into a model's pixels: encoded files (PNG, JPEG, BMP, GIF) and interleaved pixel bytes,
 * brought to gray or RGB the way {@link ImageFolders} does (gray is 0.299 R + 0.587 G + 0.114 B; gray to RGB repeats
 * it). Sizes are not changed: a picture of another height or width is refused, with both sizes in the message.
 */
public final class ImageBytes {
  private ImageBytes() {}

  /**
   * Decodes an encoded picture into height x width x channels floats in [0, 1].
   *
   * @throws VaeException when the bytes are no picture the JDK reads or have another size (both refused from the
   *     header, before any pixel is decoded)
   */
  public static float[] decode(byte[] encoded, int height, int width, int channels) {
    BufferedImage img = read(encoded, height, width);
    byte[] pixels = new byte[height * width * channels];
    try {
      write(img, channels, pixels, 0);
    } catch (RuntimeException e) {
      // a decoder's image whose color model the conversion cannot read
      throw new VaeException("the picture's pixels cannot be read: " + e, e);
    }
    return toFloats(pixels);
  }

  /**
   * Interleaved pixel bytes (row after row, {@code bands} bytes per pixel, as Spark's image struct and OpenCV keep
   * them) into height x width x channels floats in [0, 1].
   *
   * @param bgr whether three- and four-band pixels are in blue, green, red (alpha) order, as in OpenCV
   * @throws VaeException when the data is not height x width x bands bytes or bands is not 1, 3 or 4
   */
  public static float[] interleaved(byte[] data, int height, int width, int bands, boolean bgr, int channels) {
    if (bands != 1 && bands != 3 && bands != 4) {
      throw new VaeException("the picture has " + bands + " channels; 1 (gray), 3 or 4 (color) can be read");
    }
    if (data == null || (long) data.length != (long) height * width * bands) {
      throw new VaeException("the picture's data has " + (data == null ? 0 : data.length) + " bytes, not "
          + height + "x" + width + "x" + bands);
    }
    byte[] pixels = new byte[height * width * channels];
    for (int i = 0; i < height * width; i++) {
      int at = i * bands;
      if (bands == 1) {
        put(pixels, i, channels, data[at] & 0xff, data[at] & 0xff, data[at] & 0xff);
      } else {
        int first = data[at] & 0xff;
        int third = data[at + 2] & 0xff;
        put(pixels, i, channels, bgr ? third : first, data[at + 1] & 0xff, bgr ? first : third);
      }
    }
    return toFloats(pixels);
  }

  /**
   * {@code img} with the levels {@link #write} reads: a gray picture becomes RGB with its own levels in all three
   * bands (drawing or scaling a gray picture would pass it through the gray to sRGB conversion); others as they are.
   */
  static BufferedImage withOwnLevels(BufferedImage img) {
    if (!(img.getColorModel() instanceof ComponentColorModel model && model.getNumColorComponents() == 1)) {
      return img;
    }
    int shift = Math.max(0, model.getComponentSize(0) - 8);
    Raster raster = img.getRaster();
    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int v = raster.getSample(x, y, 0) >> shift;
        rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    return rgb;
  }

  /**
   * Writes {@code img}'s pixels (it must be the target size) at {@code base} of {@code dest} as gray or RGB bytes,
   * a gray picture with its own levels ({@link #withOwnLevels}).
   */
  static void write(BufferedImage img, int channels, byte[] dest, int base) {
    BufferedImage own = withOwnLevels(img);
    int width = own.getWidth();
    int first = base / channels;
    for (int y = 0; y < own.getHeight(); y++) {
      for (int x = 0; x < width; x++) {
        int rgb = own.getRGB(x, y);
        put(dest, first + y * width + x, channels, (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
      }
    }
  }

  /** Decodes {@code encoded}, checking the header's size (height x width when above 0) before any pixel is read. */
  static BufferedImage read(byte[] encoded, int height, int width) {
    if (encoded == null || encoded.length == 0) {
      throw new VaeException("the picture is empty");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new VaeException("the bytes are not a PNG, JPEG, BMP or GIF picture");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels < 1 || pixels > ImageFolders.MAX_PIXELS) {
          throw new VaeException("the picture claims " + pixels + " pixels; at most " + ImageFolders.MAX_PIXELS
              + " are decoded");
        }
        if (height > 0 && (reader.getHeight(0) != height || reader.getWidth(0) != width)) {
          throw new VaeException("the picture is " + reader.getHeight(0) + "x" + reader.getWidth(0)
              + " pixels but the model takes " + height + "x" + width);
        }
        BufferedImage img = reader.read(0);
        if (img == null) {
          throw new VaeException("the " + reader.getFormatName() + " picture cannot be decoded");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof VaeException v) {
        throw v;
      }
      // the JDK's decoders throw IOException and assorted runtime exceptions on broken files
      throw new VaeException("the picture cannot be decoded: " + e.getMessage(), e);
    }
  }

  private static void put(byte[] dest, int pixel, int channels, int r, int g, int b) {
    int at = pixel * channels;
    if (channels == 1) {
      dest[at] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    } else {
      dest[at] = (byte) r;
      dest[at + 1] = (byte) g;
      dest[at + 2] = (byte) b;
    }
  }

  private static float[] toFloats(byte[] pixels) {
    float[] out = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = (pixels[i] & 0xff) * (1f / 255f); // as ImageSet does, so a picture scores as its training copy did
    }
    return out;
  }
}
