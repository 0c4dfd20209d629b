import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Writes a folder of synthetic RGB pictures for the scale experiment: COUNT pictures of SIZE x SIZE in four
 * subfolders (circles, boxes, stripes, blobs: the labels), each a two-color gradient with a few shapes drawn on it,
 * all from SEED, so the same command writes the same files. Run with the JDK alone:
 * {@code java MakePictures.java OUT COUNT SIZE SEED}.
 */
public class MakePictures {
  private static final String[] KINDS = {"circles", "boxes", "stripes", "blobs"};

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    int size = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    for (String k : KINDS) {
      Files.createDirectories(out.resolve(k));
    }
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    IntStream.range(0, count).parallel().forEach(i -> {
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
      int kind = i % KINDS.length;
      BufferedImage img = picture(r, kind, size);
      try {
        ImageIO.write(img, "png", out.resolve(KINDS[kind]).resolve(String.format("%07d.png", i)).toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int n = done.incrementAndGet();
      if (n % 20_000 == 0) {
        System.err.printf("%,d pictures, %.0f s%n", n, (System.nanoTime() - start) / 1e9);
      }
    });
  }

  private static Color color(SplittableRandom r) {
    return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
  }

  static BufferedImage picture(SplittableRandom r, int kind, int size) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, color(r), size, size, color(r)));
    g.fillRect(0, 0, size, size);
    int shapes = 1 + r.nextInt(3);
    for (int s = 0; s < shapes; s++) {
      g.setColor(color(r));
      int x = r.nextInt(size);
      int y = r.nextInt(size);
      int w = size / 8 + r.nextInt(size / 2);
      int h = size / 8 + r.nextInt(size / 2);
      switch (kind) {
        case 0 -> g.fillOval(x - w / 2, y - w / 2, w, w);
        case 1 -> g.fillRect(x - w / 2, y - h / 2, w, h);
        case 2 -> {
          g.setStroke(new BasicStroke(1 + r.nextInt(size / 10)));
          int step = 4 + r.nextInt(size / 4);
          for (int k = -size; k < 2 * size; k += step) {
            g.drawLine(k, 0, k + x - size / 2, size);
          }
        }
        default -> {
          for (int k = 0; k < 6; k++) {
            g.fillOval(x + r.nextInt(w) - w / 2, y + r.nextInt(h) - h / 2, w / 2, h / 2);
          }
        }
      }
    }
    g.dispose();
    return img;
  }
}
