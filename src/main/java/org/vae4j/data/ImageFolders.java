package org.vae4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.vae4j.VaeException;

/**
 * A folder of pictures as a data set: PNG, JPEG, BMP and GIF (first frame) through the JDK's image I/O. Subfolder
 * names become labels (in sorted order); {@code train/} and {@code test/} subfolders, when both exist, are the two
 * splits, otherwise a seeded fraction of the images is held out for testing. Every image is brought to one size
 * (scaled to cover it, then center-cropped) and one channel count, and kept as bytes.
 */
public final class ImageFolders {
  private static final List<String> SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");
  /** The hold-out split's seed: fixed, so every command that reads a folder sees the same test images. */
  public static final long SPLIT_SEED = 0x73706c6974L;
  /** The most pixels a picture may have (4096 x 4096); larger ones are skipped as undecodable, never decoded. */
  public static final long MAX_PIXELS = 4096L * 4096;

  private ImageFolders() {}

  /**
   * How to read a folder.
   *
   * @param channels 1 (gray) or 3 (RGB), or 0 to take 3 when any image has color
   * @param height target height, or 0 for the most common one
   * @param width target width, or 0 for the most common one
   * @param strict abort on the first file that cannot be decoded, instead of skipping it
   * @param testFraction share of the images held out for testing when the folder has no train/ and test/
   * @param seed which images are held out
   */
  public record Options(int channels, int height, int width, boolean strict, double testFraction, long seed) {
    /**
     * Checks the options.
     *
     * @throws VaeException naming the setting when channels is not 0, 1 or 3, the size is negative or over
     *     {@link #MAX_PIXELS} pixels, or testFraction lies outside (0, 1)
     */
    public Options {
      if (channels != 0 && channels != 1 && channels != 3) {
        throw VaeException.setting("channels must be 1 or 3, got " + channels, "channels");
      }
      if (height < 0 || width < 0 || (long) height * width > MAX_PIXELS) {
        throw VaeException.setting("imageSize must be 0 (the most common size) or at most " + MAX_PIXELS
            + " pixels, got " + height + "x" + width, "imageSize");
      }
      if (!(testFraction > 0 && testFraction < 1)) {
        throw VaeException.setting("testFraction must lie in (0, 1), got " + testFraction, "testFraction");
      }
    }

    /** Channels and size from the images, skipping undecodable files, a tenth held out with {@link #SPLIT_SEED}. */
    public static Options defaults() {
      return new Options(0, 0, 0, false, 0.1, SPLIT_SEED);
    }
  }

  /** What was read: the data set, the label names by index, and the files skipped. */
  public record Result(Dataset dataset, List<String> labelNames, List<String> skipped) {}

  /** Whether {@code dir} holds image files (directly or in subfolders) rather than idx files. */
  public static boolean looksLikeImages(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files.anyMatch(ImageFolders::isImage);
    } catch (IOException e) {
      return false;
    }
  }

  static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p) && SUFFIXES.stream().anyMatch(n::endsWith);
  }

  /**
   * Reads the folder {@code dir} as {@code options} say; {@code log} hears one line naming the files skipped, if
   * any.
   *
   * @throws VaeException when {@code dir} is not a folder or holds no images, a file cannot be decoded under
   *     {@code strict}, a split is left empty, or the pictures exceed the in-memory store's limit
   */
  public static Result load(Path dir, Options options, Consumer<String> log) {
    if (!Files.isDirectory(dir)) {
      throw new VaeException("image folder " + dir + " does not exist or is not a folder");
    }
    boolean splits = Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
    List<Path> trainFiles = files(splits ? dir.resolve("train") : dir);
    List<Path> testFiles = splits ? files(dir.resolve("test")) : new ArrayList<>();
    if (trainFiles.isEmpty()) {
      throw new VaeException(dir + " holds no PNG, JPEG, BMP or GIF files");
    }
    Path labelRoot = splits ? null : dir;
    TreeMap<String, Integer> labels = new TreeMap<>();
    for (Path p : trainFiles) {
      labels.putIfAbsent(labelOf(splits ? dir.resolve("train") : labelRoot, p), 0);
    }
    for (Path p : testFiles) {
      labels.putIfAbsent(labelOf(dir.resolve("test"), p), 0);
    }
    labels.remove("");
    int index = 0;
    for (Map.Entry<String, Integer> e : labels.entrySet()) {
      e.setValue(index++);
    }

    // first pass: sizes and color, from the headers only
    List<String> skipped = new ArrayList<>();
    Map<String, Integer> sizes = new HashMap<>();
    boolean color = false;
    List<Path> all = new ArrayList<>(trainFiles);
    all.addAll(testFiles);
    Map<Path, int[]> dims = new HashMap<>();
    for (Path p : all) {
      int[] d = header(p);
      if (d == null) {
        if (options.strict()) {
          throw VaeException.setting(p + " cannot be decoded as an image (strict is set)", "strict");
        }
        skipped.add(p.toString());
        continue;
      }
      dims.put(p, d);
      sizes.merge(d[0] + "x" + d[1], 1, Integer::sum);
      color |= d[2] == 1;
    }
    int height = options.height();
    int width = options.width();
    if (height == 0 || width == 0) {
      String common = sizes.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
          .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
      height = Integer.parseInt(common.substring(0, common.indexOf('x')));
      width = Integer.parseInt(common.substring(common.indexOf('x') + 1));
    }
    int channels = options.channels() != 0 ? options.channels() : (color ? 3 : 1);

    // second pass: decode into bytes
    trainFiles.removeIf(p -> !dims.containsKey(p));
    testFiles.removeIf(p -> !dims.containsKey(p));
    if (!splits) {
      List<Path> shuffled = new ArrayList<>(trainFiles);
      SplittableRandom random = new SplittableRandom(options.seed());
      for (int i = shuffled.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Path t = shuffled.get(i);
        shuffled.set(i, shuffled.get(j));
        shuffled.set(j, t);
      }
      int held = Math.max(1, (int) Math.round(shuffled.size() * options.testFraction()));
      testFiles = new ArrayList<>(shuffled.subList(0, held));
      trainFiles = new ArrayList<>(shuffled.subList(held, shuffled.size()));
      trainFiles.sort(null);
      testFiles.sort(null);
    }
    checkFits(splits ? dir.resolve("train") : dir, trainFiles.size(), height, width, channels);
    checkFits(splits ? dir.resolve("test") : dir, testFiles.size(), height, width, channels);
    ImageSet train = decode(trainFiles, splits ? dir.resolve("train") : dir, labels, height, width, channels,
        options.strict(), skipped);
    ImageSet test = decode(testFiles, splits ? dir.resolve("test") : dir, labels, height, width, channels,
        options.strict(), skipped);
    if (train.count() == 0 || test.count() == 0) {
      throw new VaeException(dir + " leaves no " + (train.count() == 0 ? "training" : "test") + " images after "
          + skipped.size() + " undecodable files were skipped");
    }
    if (!skipped.isEmpty()) {
      log.accept("skipped " + skipped.size() + " file(s) that could not be decoded: " + String.join(", ",
          skipped.subList(0, Math.min(5, skipped.size()))) + (skipped.size() > 5 ? ", ..." : ""));
    }
    return new Result(new Dataset(dir.toAbsolutePath().normalize().toString(), train, test),
        new ArrayList<>(labels.keySet()), skipped);
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return new ArrayList<>(files.filter(ImageFolders::isImage).sorted().toList());
    } catch (IOException e) {
      throw new VaeException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The first folder below {@code root} on the way to {@code file}, or "" for files directly in root. */
  private static String labelOf(Path root, Path file) {
    Path rel = root.relativize(file);
    return rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
  }

  /** [height, width, 1 if color else 0] from the file's header, or null when no reader can decode it. */
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
        if (w < 1 || h < 1 || (long) w * h > MAX_PIXELS) {
          return null; // a header claiming more pixels than any picture vae4j trains on: not decoded at all
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

  /** The most values one split may have: the in-memory store keeps a split in one Java array. */
  static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  /**
   * Refuses, before any decoding, a split whose pictures would not fit the in-memory store (sized in long: an int
   * product of 43 RGB pictures of 4096 x 4096 is negative).
   */
  static void checkFits(Path dir, long count, int height, int width, int channels) {
    long values = count * height * width * channels;
    if (values > MAX_VALUES) {
      throw new VaeException(String.format(Locale.ROOT, "the pictures in %s need %,d bytes (%d of %d x %d x %d),"
          + " more than the in-memory store's limit of %,d values", dir, values, count, height, width, channels,
          MAX_VALUES));
    }
  }

  /**
   * Decodes the pictures in parallel (one task per picture on the common pool; the JDK's image readers and each
   * picture's own graphics are independent), each into its own slot, then keeps the decodable ones in file
   * order: the same set as one thread gives. With {@code strict} the first undecodable file in that order is named.
   */
  private static ImageSet decode(List<Path> files, Path root, Map<String, Integer> labels, int height, int width,
      int channels, boolean strict, List<String> skipped) {
    int size = height * width * channels;
    byte[] pixels = new byte[files.size() * size];
    boolean[] decoded = new boolean[files.size()];
    IntStream.range(0, files.size()).parallel().forEach(i -> {
      BufferedImage img;
      try {
        img = ImageIO.read(files.get(i).toFile());
      } catch (IOException | RuntimeException e) {
        img = null;
      }
      if (img != null) {
        // gray levels as the file holds them, whether the picture is resized or not
        ImageBytes.write(fit(ImageBytes.withOwnLevels(img), height, width), channels, pixels, i * size);
        decoded[i] = true;
      }
    });
    int[] labelValues = new int[files.size()];
    int n = 0;
    for (int i = 0; i < files.size(); i++) {
      Path p = files.get(i);
      if (!decoded[i]) {
        if (strict) {
          throw VaeException.setting(p + " cannot be decoded as an image (strict is set)", "strict");
        }
        skipped.add(p.toString());
        continue;
      }
      if (n != i) {
        System.arraycopy(pixels, i * size, pixels, n * size, size);
      }
      String label = labelOf(root, p);
      labelValues[n] = label.isEmpty() ? -1 : labels.get(label);
      n++;
    }
    boolean anyLabel = labels.size() > 0;
    return new ImageSet(java.util.Arrays.copyOf(pixels, n * size), anyLabel ? java.util.Arrays.copyOf(labelValues,
        n) : null, n, height, width, channels);
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
