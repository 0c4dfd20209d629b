package org.vae4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
   * @param cache the folder where the decoded pictures are kept as a memory-mapped file (decoded once, read again
   *     while the pictures' paths, sizes and times stay the same), or null to decode into the heap every time
   */
  public record Options(int channels, int height, int width, boolean strict, double testFraction, long seed,
      Path cache) {
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

    /** The options without a cache: every read decodes into the heap. */
    public Options(int channels, int height, int width, boolean strict, double testFraction, long seed) {
      this(channels, height, width, strict, testFraction, seed, null);
    }

    /** Channels and size from the images, skipping undecodable files, a tenth held out with {@link #SPLIT_SEED}. */
    public static Options defaults() {
      return new Options(0, 0, 0, false, 0.1, SPLIT_SEED);
    }

    /** These options with the decoded pictures kept in {@code folder} (null: no cache). */
    public Options withCache(Path folder) {
      return new Options(channels, height, width, strict, testFraction, seed, folder);
    }
  }

  /** Hears how far decoding has come: {@code done} of {@code total} pictures. */
  @FunctionalInterface
  public interface Progress {
    /** Hears nothing. */
    Progress NONE = (done, total) -> { };

    /** Called from the decoding threads, at most a few times a second and once at the end. */
    void decoded(int done, int total);
  }

  /**
   * What was read: the data set, the label names by index, the files skipped (at most the first 100 names when the
   * pictures come from the cache), and the cache file they were read from or written to (null without a cache).
   */
  public record Result(Dataset dataset, List<String> labelNames, List<String> skipped, Path cacheFile) {}

  /** Whether {@code dir} holds image files (directly or in subfolders) rather than idx files. */
  public static boolean looksLikeImages(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files.anyMatch(ImageFolders::isImage);
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p) && SUFFIXES.stream().anyMatch(n::endsWith);
  }

  /** {@link #load(Path, Options, Consumer, Progress)} without progress reports. */
  public static Result load(Path dir, Options options, Consumer<String> log) {
    return load(dir, options, log, Progress.NONE);
  }

  /**
   * Reads the folder {@code dir} as {@code options} say; {@code log} hears one line naming the files skipped, if
   * any, and one about the cache when there is one; {@code progress} hears how far decoding has come. With a cache
   * folder the pictures are decoded once into a memory-mapped file there and read from it while the folder stays
   * the same, so a collection larger than the heap trains with bounded memory; without one they are decoded into
   * the heap.
   *
   * @throws VaeException when {@code dir} is not a folder or holds no images, a file cannot be decoded under
   *     {@code strict}, a split is left empty, or without a cache the pictures need more memory than the heap has
   */
  public static Result load(Path dir, Options options, Consumer<String> log, Progress progress) {
    long started = System.nanoTime();
    if (!Files.isDirectory(dir)) {
      throw new VaeException("image folder " + dir + " does not exist or is not a folder");
    }
    boolean splits = Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
    Path trainRoot = splits ? dir.resolve("train") : dir;
    Path testRoot = splits ? dir.resolve("test") : dir;
    List<Path> trainFiles = files(trainRoot);
    List<Path> testFiles = splits ? files(testRoot) : new ArrayList<>();
    if (trainFiles.isEmpty()) {
      throw new VaeException(dir + " holds no PNG, JPEG, BMP or GIF files");
    }
    TreeMap<String, Integer> labels = new TreeMap<>();
    for (Path p : trainFiles) {
      labels.putIfAbsent(labelOf(trainRoot, p), 0);
    }
    for (Path p : testFiles) {
      labels.putIfAbsent(labelOf(testRoot, p), 0);
    }
    labels.remove("");
    int index = 0;
    for (Map.Entry<String, Integer> e : labels.entrySet()) {
      e.setValue(index++);
    }

    Path cacheFile = null;
    String key = null;
    if (options.cache() != null) {
      List<Path> listed = new ArrayList<>(trainFiles);
      listed.addAll(testFiles);
      key = FolderCache.key(dir, options, splits, listed);
      cacheFile = FolderCache.file(options.cache(), dir, options);
      Result hit = fromCache(dir, options, splits, listed, key, log);
      if (hit != null) {
        return hit;
      }
    }

    // first pass: sizes and color, from the headers only
    List<String> skipped = new ArrayList<>();
    Map<String, Integer> sizes = new HashMap<>();
    boolean color = false;
    List<Path> all = new ArrayList<>(trainFiles);
    all.addAll(testFiles);
    int[][] headers = PictureDecoder.headers(all);
    Set<Path> readable = new HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      int[] d = headers[i];
      if (d == null) {
        if (options.strict()) {
          throw VaeException.setting(all.get(i) + " cannot be decoded as an image (strict is set)", "strict");
        }
        skipped.add(all.get(i).toString());
        continue;
      }
      readable.add(all.get(i));
      sizes.merge(d[0] + "x" + d[1], 1, Integer::sum);
      color |= d[2] == 1;
    }
    if (readable.isEmpty()) {
      throw new VaeException(dir + " leaves no training images after " + skipped.size()
          + " undecodable files were skipped");
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

    trainFiles.removeIf(p -> !readable.contains(p));
    testFiles.removeIf(p -> !readable.contains(p));
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

    // second pass: the pixels, training pictures first, into the cache file or the heap
    List<Path> ordered = new ArrayList<>(trainFiles);
    ordered.addAll(testFiles);
    int size = height * width * channels;
    List<String> names = new ArrayList<>(labels.keySet());
    FolderCache.Writer writer = cacheFile == null ? null : FolderCache.create(cacheFile, ordered.size(), size, names,
        log);
    try {
      PixelStore store;
      if (writer != null) {
        store = writer.pixels();
      } else {
        checkHeap(dir, ordered.size(), height, width, channels, freeHeap());
        store = PixelStore.allocate(ordered.size(), size, PixelStore.CHUNK_BYTES);
      }
      boolean[] decoded;
      try {
        decoded = PictureDecoder.decode(ordered, store, height, width, channels, progress);
      } catch (InternalError e) {
        // what a write into a mapped file gives when its disk fills up (checked before, but shared with others)
        throw new VaeException("the disk of the picture cache " + cacheFile + " ran out while decoding: free room"
            + " there, give another cache folder, or decode into memory", e);
      }
      int[] labelValues = new int[ordered.size()];
      byte[] moving = new byte[size];
      int kept = 0;
      int trainKept = 0;
      for (int i = 0; i < ordered.size(); i++) {
        Path p = ordered.get(i);
        if (!decoded[i]) {
          if (options.strict()) {
            throw VaeException.setting(p + " cannot be decoded as an image (strict is set)", "strict");
          }
          skipped.add(p.toString());
          continue;
        }
        if (kept != i) {
          store.read(i, moving, 0);
          store.write(kept, moving, 0);
        }
        boolean train = i < trainFiles.size();
        String label = labelOf(train ? trainRoot : testRoot, p);
        labelValues[kept] = label.isEmpty() ? -1 : labels.get(label);
        trainKept += train ? 1 : 0;
        kept++;
      }
      int testKept = kept - trainKept;
      if (trainKept == 0 || testKept == 0) {
        throw new VaeException(dir + " leaves no " + (trainKept == 0 ? "training" : "test") + " images after "
            + skipped.size() + " undecodable files were skipped");
      }
      int[] keptLabels = labels.isEmpty() ? null : Arrays.copyOf(labelValues, kept);
      if (writer != null) {
        writer.commit(new FolderCache.Header(key, height, width, channels, ordered.size(), trainKept, testKept,
            keptLabels != null, names, skipped, skipped.size()), keptLabels);
        log.accept(String.format(Locale.ROOT, "decoded %,d pictures of %s into the cache %s (%,.0f MB) in %.1f s",
            kept, dir, cacheFile, Files.size(cacheFile) / 1e6, (System.nanoTime() - started) / 1e9));
      }
      logSkipped(log, skipped, skipped.size());
      ImageSet train = new ImageSet(store, 0, keptLabels == null ? null : Arrays.copyOf(keptLabels, trainKept),
          trainKept, height, width, channels);
      ImageSet test = new ImageSet(store, trainKept, keptLabels == null ? null : Arrays.copyOfRange(keptLabels,
          trainKept, kept), testKept, height, width, channels);
      return new Result(new Dataset(name(dir), train, test), names, skipped, writer == null ? null : cacheFile);
    } catch (IOException e) {
      throw new VaeException("cannot write the picture cache " + cacheFile + ": " + e.getMessage(), e);
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /**
   * The folder from its cache file, or null: the file of these very options (whose folder digest is
   * {@code key}), else (for options that fix the size or channels) the file of the same options left to the
   * pictures, when the pictures chose the same (a model's evaluation asks for its training size explicitly;
   * training left it to the folder).
   */
  private static Result fromCache(Path dir, Options options, boolean splits, List<Path> listed, String key,
      Consumer<String> log) {
    Options auto = new Options(0, 0, 0, options.strict(), options.testFraction(), options.seed(), options.cache());
    for (Options o : options.equals(auto) ? List.of(options) : List.of(options, auto)) {
      Path file = FolderCache.file(options.cache(), dir, o);
      Consumer<String> why = o == options ? reason -> log.accept("decoding " + dir + " again: the cache " + file
          + " cannot be used (" + reason + ")") : reason -> { };
      FolderCache.Hit hit = FolderCache.open(file, o == options ? key : FolderCache.key(dir, o, splits, listed),
          why);
      if (hit == null) {
        continue;
      }
      FolderCache.Header h = hit.header();
      if ((options.height() != 0 && h.height() != options.height()) || (options.width() != 0
          && h.width() != options.width()) || (options.channels() != 0 && h.channels() != options.channels())) {
        continue;
      }
      log.accept(String.format(Locale.ROOT, "read %,d pictures of %s from the cache %s", h.train() + h.test(), dir,
          file));
      logSkipped(log, h.skipped(), h.skippedCount());
      return new Result(new Dataset(name(dir), hit.train(), hit.test()), h.labelNames(), h.skipped(), file);
    }
    return null;
  }

  private static String name(Path dir) {
    return dir.toAbsolutePath().normalize().toString();
  }

  private static void logSkipped(Consumer<String> log, List<String> skipped, int count) {
    if (count > 0) {
      log.accept("skipped " + count + " file(s) that could not be decoded: " + String.join(", ",
          skipped.subList(0, Math.min(5, skipped.size()))) + (count > 5 ? ", ..." : ""));
    }
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return new ArrayList<>(files.filter(ImageFolders::isImage).sorted().toList());
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new VaeException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The first folder below {@code root} on the way to {@code file}, or "" for files directly in root. */
  private static String labelOf(Path root, Path file) {
    Path rel = root.relativize(file);
    return rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
  }

  /** The heap this JVM may still take: its limit less what is in use. */
  static long freeHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * Refuses, before any decoding, pictures that would take more than 80% of the free heap (sized in long: the
   * int product of 43 RGB pictures of 4096 x 4096 is negative), naming the way out: a cache file.
   */
  static void checkHeap(Path dir, long count, int height, int width, int channels, long freeHeap) {
    long bytes = count * height * width * channels;
    if (bytes > freeHeap / 10 * 8) {
      throw VaeException.setting(String.format(Locale.ROOT, "the pictures in %s need %,d MB (%,d of %d x %d x %d)"
          + " and the heap has %,d MB free: read them through a memory-mapped file (cache) or give Java more memory"
          + " (-Xmx)", dir, bytes >> 20, count, height, width, channels, freeHeap >> 20), "cache");
    }
  }

}
