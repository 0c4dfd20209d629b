package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.VaeException;
import org.vae4j.data.Dataset;
import org.vae4j.data.Download;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.ImageFolders;
import org.vae4j.data.NamedDatasets;

/**
 * Where a command's images come from: {@code --dataset NAME} (cache, system copy or verified download),
 * {@code --data DIR} (idx files or a folder of pictures, {@code --format}), or the built-in MNIST.
 */
final class DataOptions {
  private DataOptions() {}

  static void addTo(Options options) {
    options
        .addOption(Args.value("data", "DIR", "folder with idx files (MNIST layout, gzipped or not) or with pictures"
            + " (PNG, JPEG, BMP, GIF; subfolders are labels); default: the built-in MNIST"))
        .addOption(Args.value("dataset", "NAME", "a data set by name (see 'vae datasets'): from --data DIR when"
            + " given (its files as published), else the cache, a system copy, or a verified download"))
        .addOption(Args.value("format", "auto|idx|images", "how --data is laid out (default auto)"))
        .addOption(Args.value("channels", "1|3", "pictures: gray or RGB (default: RGB when any picture has color)"))
        .addOption(Args.value("image-size", "HxW", "pictures: resize and center-crop to this size (default: the"
            + " most common size)"))
        .addOption(Args.flag("strict", "pictures: stop at a file that cannot be decoded instead of skipping it"))
        .addOption(Args.value("test-fraction", "F", "pictures without train/ and test/ subfolders: share held out"
            + " for testing (default 0.1)"))
        .addOption(Args.flag("offline", "never download a data set"));
    addCacheTo(options);
  }

  /** The picture cache's options, for every command that reads a folder of pictures. */
  static void addCacheTo(Options options) {
    options
        .addOption(Args.value("cache-dir", "DIR", "pictures: decode a folder once into a memory-mapped file here"
            + " and read it from there while the folder's files stay the same (default $VAE4J_CACHE, else"
            + " $VAE4J_HOME/pictures, else ~/.vae4j/pictures)"))
        .addOption(Args.flag("no-cache", "pictures: decode into memory every time, writing no cache file"));
  }

  /** Where decoded picture folders are kept unless {@code --cache-dir} says: $VAE4J_CACHE or the home's pictures/. */
  static Path defaultCache() {
    String env = System.getenv("VAE4J_CACHE");
    return env != null && !env.isBlank() ? Path.of(env) : NamedDatasets.Options.defaultHome().resolve("pictures");
  }

  /** The data the options name; {@code shape} [H, W, C] fixes picture size and channels (null: from the data). */
  static Dataset load(CommandLine line, Io io, int[] shape) {
    String name = line.getOptionValue("dataset");
    Path dir = Args.path(line, "data");
    if (name != null && dir != null) {
      // the named set's files as published, in a folder of the user's: read from there, nothing downloaded
      NamedDatasets.Entry entry = entry(name);
      return name.equals("mnist") ? IdxDatasets.folder(dir) : NamedDatasets.loadFrom(entry, dir);
    }
    if (name != null) {
      return named(name, line, io);
    }
    if (dir == null) {
      return IdxDatasets.mnist();
    }
    return folder(dir, line, io, shape);
  }

  private static NamedDatasets.Entry entry(String name) {
    try {
      return NamedDatasets.entry(name);
    } catch (VaeException e) {
      throw new UsageException(Flags.show(e));
    }
  }

  static Dataset named(String name, CommandLine line, Io io) {
    entry(name);
    ProgressBar bar = new ProgressBar(io.err(), io.terminal());
    long start = System.nanoTime();
    Download download = new Download(Duration.ofSeconds(60), 5, (file, done, total) -> bar.update(file, done,
        Math.max(total, done), (System.nanoTime() - start) / 1e9, String.format("%.1f MB", done / 1e6)));
    try {
      return NamedDatasets.load(name, new NamedDatasets.Options(NamedDatasets.Options.defaultHome(),
          line.hasOption("offline"), download, io.err()::println));
    } finally {
      bar.clear();
    }
  }

  static Dataset folder(Path dir, CommandLine line, Io io, int[] shape) {
    String format = line.getOptionValue("format", "auto");
    boolean images = switch (format) {
      case "idx" -> false;
      case "images" -> true;
      case "auto" -> Files.isDirectory(dir) && !Files.isRegularFile(dir.resolve(IdxDatasets.TRAIN_IMAGES))
          && !Files.isRegularFile(dir.resolve(IdxDatasets.TRAIN_IMAGES + ".gz")) && ImageFolders.looksLikeImages(dir);
      default -> throw new UsageException("--format must be auto, idx or images, got '" + format + "'");
    };
    if (!images) {
      return IdxDatasets.folder(dir);
    }
    return pictures(dir, line, io, shape).dataset();
  }

  /** A folder of pictures at {@code shape} (null: from the options or the pictures), with its label names. */
  static ImageFolders.Result pictures(Path dir, CommandLine line, Io io, int[] shape) {
    int channels = shape != null ? shape[2] : Args.integer(line, "channels", 0, 1, 3);
    int[] size = shape != null ? new int[] {shape[0], shape[1]} : imageSize(line);
    double fraction = Args.decimal(line, "test-fraction", 0.1);
    ImageFolders.Options options;
    try {
      // a fixed split seed: evaluating a model later holds out the same test images as its training did
      options = new ImageFolders.Options(channels, size[0], size[1], line.hasOption("strict"), fraction,
          ImageFolders.SPLIT_SEED);
    } catch (VaeException e) {
      throw new UsageException(Flags.show(e));
    }
    if (line.hasOption("no-cache") && line.hasOption("cache-dir")) {
      throw new UsageException("--no-cache and --cache-dir contradict each other: give one");
    }
    Path cache = line.hasOption("no-cache") ? null : line.hasOption("cache-dir") ? Args.path(line, "cache-dir")
        : defaultCache();
    ProgressBar bar = new ProgressBar(io.err(), io.terminal());
    long start = System.nanoTime();
    ImageFolders.Result r;
    try {
      r = ImageFolders.load(dir, options.withCache(cache), io.err()::println, (done, total) -> {
        synchronized (bar) {
          bar.update("decoding", done, total, (System.nanoTime() - start) / 1e9, "pictures");
        }
      });
    } finally {
      bar.clear();
    }
    if (!r.labelNames().isEmpty()) {
      io.err().println("labels: " + String.join(", ", r.labelNames().subList(0, Math.min(20,
          r.labelNames().size()))) + (r.labelNames().size() > 20 ? ", ..." : "") + " (0 to "
          + (r.labelNames().size() - 1) + ")");
    }
    return r;
  }

  private static int[] imageSize(CommandLine line) {
    String text = line.getOptionValue("image-size");
    if (text == null) {
      return new int[] {0, 0};
    }
    String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      int h = Integer.parseInt(parts[0].trim());
      int w = Integer.parseInt(parts[1].trim());
      if (parts.length != 2 || h < 1 || w < 1 || h > 4096 || w > 4096) {
        throw new NumberFormatException();
      }
      return new int[] {h, w};
    } catch (RuntimeException e) {
      throw new UsageException("--image-size must look like 64x64 (height x width, 1 to 4096), got '" + text + "'");
    }
  }

  /**
   * The data a model's card names: a known data set, or a folder that still exists. A folder that has gone is an
   * error, not a quiet switch to other data: figures measured on the wrong images would look like the model's.
   */
  static Dataset trainedOn(String dataset, CommandLine line, Io io, int[] shape) {
    if (NamedDatasets.catalog().stream().anyMatch(e -> e.name().equals(dataset))) {
      return named(dataset, line, io);
    }
    try {
      Path folder = Path.of(dataset);
      if (Files.isDirectory(folder)) {
        return folder(folder, line, io, shape);
      }
    } catch (InvalidPathException e) {
      // not a folder name
    }
    throw new UsageException("the model was trained on " + dataset + ", which is not here; give its test images"
        + " with --data DIR or --dataset NAME");
  }
}
