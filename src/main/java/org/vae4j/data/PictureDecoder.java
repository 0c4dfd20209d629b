package org.vae4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The two passes over a picture folder's files, both in parallel (one task per file on the common pool; the JDK's
 * image readers and each picture's own graphics are independent): the headers (size and color, no pixels), then
 * the pixels, each picture brought to one size and channel count and written into its own slot of a
 * {@link PixelStore}, so the result does not depend on the threads' order.
 */
final class PictureDecoder {
  /** The least time between two progress reports. */
  private static final long REPORT_NANOS = 200_000_000L;

  private PictureDecoder() {}

  /**
   * Each file's [height, width, 1 if color else 0] from its header, or null for a file no reader takes or whose
   * header claims more than {@link ImageFolders#MAX_PIXELS} pixels (never decoded at all).
   */
  static int[][] headers(List<Path> files) {
    int[][] out = new int[files.size()][];
    IntStream.range(0, files.size()).parallel().forEach(i -> out[i] = header(files.get(i)));
    return out;
  }

  private static int[] header(Path p) {
    try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w < 1 || h < 1 || (long) w * h > ImageFolders.MAX_PIXELS) {
          return null;
        }
        var type = reader.getRawImageType(0);
        int bands = type == null ? 3 : type.getColorModel().getColorSpace().getNumComponents();
        return new int[] {h, w, bands >= 3 ? 1 : 0};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Decodes {@code files} into slots {@code 0 .. files.size() - 1} of {@code store} at height x width x channels;
   * returns which ones decoded. {@code progress} hears the count at most five times a second and once at the end.
   */
  static boolean[] decode(List<Path> files, PixelStore store, int height, int width, int channels,
      ImageFolders.Progress progress) {
    int size = height * width * channels;
    boolean[] decoded = new boolean[files.size()];
    AtomicInteger done = new AtomicInteger();
    AtomicLong lastReport = new AtomicLong(System.nanoTime());
    IntStream.range(0, files.size()).parallel().forEach(i -> {
      BufferedImage img;
      try {
        img = ImageIO.read(files.get(i).toFile());
      } catch (IOException | RuntimeException e) {
        img = null;
      }
      if (img != null) {
        byte[] bytes = new byte[size];
        // gray levels as the file holds them, whether the picture is resized or not
        ImageBytes.write(fit(ImageBytes.withOwnLevels(img), height, width), channels, bytes, 0);
        store.write(i, bytes, 0);
        decoded[i] = true;
      }
      int n = done.incrementAndGet();
      long now = System.nanoTime();
      long last = lastReport.get();
      if (n < files.size() && now - last >= REPORT_NANOS && lastReport.compareAndSet(last, now)) {
        progress.decoded(n, files.size());
      }
    });
    progress.decoded(files.size(), files.size());
    return decoded;
  }

  /** Scales {@code img} to cover height x width (keeping its aspect) and crops the center. */
  static BufferedImage fit(BufferedImage img, int height, int width) {
    if (img.getHeight() == height && img.getWidth() == width) {
      return img;
    }
    double scale = Math.max((double) height / img.getHeight(), (double) width / img.getWidth());
    int sw = Math.max(width, (int) Math.round(img.getWidth() * scale));
    int sh = Math.max(height, (int) Math.round(img.getHeight() * scale));
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(img, (width - sw) / 2, (height - sh) / 2, sw, sh, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
