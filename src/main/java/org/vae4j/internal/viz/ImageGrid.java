package org.vae4j.internal.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.vae4j.internal.util.Files2;

/**
 * Lays images out in a grid and writes it as PNG with the JDK's image I/O. Pixel values in [0, 1] map to 0..255;
 * one channel gives gray and three give color. Other channel counts show what can be shown: two channels the
 * first as gray, four or more the first three as color.
 */
public final class ImageGrid {
  /** Gray of the lines between cells: visible against both black and white digits. */
  private static final int GAP_RGB = 0x808080;

  private final int height;
  private final int width;
  private final int channels;
  private final int scale;
  private final int gap;

  /**
   * @param scale each pixel becomes scale x scale pixels (MNIST's 28 px are too small to see unscaled)
   * @param gap pixels between cells, before scaling
   */
  public ImageGrid(int height, int width, int channels, int scale, int gap) {
    if (channels < 1) {
      throw new IllegalArgumentException("images need at least one channel, got " + channels);
    }
    if (scale < 1 || scale > 64) {
      throw org.vae4j.VaeException.setting("scale must be between 1 and 64, got " + scale, "scale");
    }
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.scale = scale;
    this.gap = gap;
  }

  /** Images row by row, {@code columns} per row. */
  public BufferedImage render(float[][] images, int columns) {
    int rows = Math.max(1, (images.length + columns - 1) / columns);
    int cellW = (width + gap) * scale;
    int cellH = (height + gap) * scale;
    BufferedImage out = new BufferedImage(columns * cellW + gap * scale, rows * cellH + gap * scale,
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        out.setRGB(x, y, GAP_RGB);
      }
    }
    for (int i = 0; i < images.length; i++) {
      int x0 = (i % columns) * cellW + gap * scale;
      int y0 = (i / columns) * cellH + gap * scale;
      draw(out, images[i], x0, y0);
    }
    return out;
  }

  /** Pairs side by side: originals[i] then reconstructions[i], {@code pairsPerRow} pairs per row. */
  public BufferedImage renderPairs(float[][] originals, float[][] reconstructions, int pairsPerRow) {
    float[][] interleaved = new float[originals.length * 2][];
    for (int i = 0; i < originals.length; i++) {
      interleaved[2 * i] = originals[i];
      interleaved[2 * i + 1] = reconstructions[i];
    }
    return render(interleaved, 2 * pairsPerRow);
  }

  private void draw(BufferedImage out, float[] image, int x0, int y0) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int base = (y * width + x) * channels;
        int rgb;
        if (channels < 3) {
          int v = toByte(image[base]);
          rgb = (v << 16) | (v << 8) | v;
        } else {
          rgb = (toByte(image[base]) << 16) | (toByte(image[base + 1]) << 8) | toByte(image[base + 2]);
        }
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            out.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
          }
        }
      }
    }
  }

  private static int toByte(float v) {
    if (!(v > 0)) {
      return 0;
    }
    return v >= 1 ? 255 : Math.round(v * 255f);
  }

  /** Writes a PNG under a temporary name and renames it into place. */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    Files2.writeAtomically(file, png(image));
  }

  /** The image encoded as PNG. */
  public static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new IOException("the JDK has no PNG writer");
    }
    return bytes.toByteArray();
  }

  /**
   * The labels of a grid of a label-conditioned model's images with one row per class: {@code perRow} images of
   * class 0, then of class 1, and so on, for the first {@code rows} classes.
   */
  public static int[] rowPerClass(int rows, int perRow) {
    int[] labels = new int[rows * perRow];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i / perRow;
    }
    return labels;
  }

  /** A square-ish number of columns for n images. */
  public static int columnsFor(int n) {
    return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
  }
}
