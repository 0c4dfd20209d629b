package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.vae4j.VaeException;

/**
 * The data sets vae4j knows by name, where each one comes from, and how it is found: the user cache
 * ({@code $VAE4J_HOME/datasets/NAME}, default {@code ~/.vae4j}), then known system locations (Debian's
 * {@code dataset-fashion-mnist} package), then a download into the cache, verified by SHA-256 before use.
 *
 * <p>Addresses, sizes and SHA-256 sums are those the data sets' publishers serve (as recorded by TensorFlow
 * Datasets' checksum files); system copies, which may be recompressed, are checked on their decompressed content.
 */
public final class NamedDatasets {
  private NamedDatasets() {}

  /** How a data set's files are laid out. */
  public enum Format {
    /** The four idx files of MNIST and its relatives. */
    IDX,
    /** EMNIST's gzip.zip of idx files, images stored transposed. */
    EMNIST,
    /** CIFAR-10's binary version: a tar.gz of batches of [label, 1024 R, 1024 G, 1024 B] records. */
    CIFAR10,
    /** SVHN's cropped digits: MATLAB files with X [32, 32, 3, N] and labels y in 1..10 (10 is the digit 0). */
    SVHN
  }

  /** One file to fetch: its name in the cache, address, size in bytes and SHA-256. */
  public record RemoteFile(String name, URI url, long size, String sha256) {}

  /**
   * A data set vae4j knows.
   *
   * @param variant for EMNIST, which split of the archive ({@code digits}, {@code letters})
   * @param contentSha256 SHA-256 of decompressed idx files, for checking copies found on the system
   */
  public record Entry(String name, String title, Format format, String variant, List<RemoteFile> files,
      List<Path> systemLocations, Map<String, String> contentSha256, String license) {
    /** Bytes a download of every file takes. */
    public long downloadSize() {
      return files.stream().mapToLong(RemoteFile::size).sum();
    }
  }

  private static RemoteFile file(String url, long size, String sha256) {
    return new RemoteFile(url.substring(url.lastIndexOf('/') + 1), URI.create(url), size, sha256);
  }

  private static final String EMNIST_LICENSE = "no license stated; NIST Special Database 19, cite Cohen et al. 2017";

  private static final List<RemoteFile> EMNIST_FILES = List.of(file(
      "https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/gzip.zip", 561_753_746L,
      "fb9bb67e33772a9cc0b895e4ecf36d2cf35be8b709693c3564cea2a019fcda8e"));

  private static final List<Entry> CATALOG = List.of(
      new Entry("mnist", "MNIST handwritten digits, 28x28x1, 10 classes (built in)", Format.IDX, null, List.of(
          file("https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz", 9_912_422L,
              "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
          file("https://storage.googleapis.com/cvdf-datasets/mnist/train-labels-idx1-ubyte.gz", 28_881L,
              "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
          file("https://storage.googleapis.com/cvdf-datasets/mnist/t10k-images-idx3-ubyte.gz", 1_648_877L,
              "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
          file("https://storage.googleapis.com/cvdf-datasets/mnist/t10k-labels-idx1-ubyte.gz", 4_542L,
              "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")),
          List.of(), Map.of(), "CC BY-SA 3.0 (Y. LeCun, C. Cortes, C. J. C. Burges)"),
      new Entry("fashion-mnist", "Fashion-MNIST clothing images, 28x28x1, 10 classes", Format.IDX, null, List.of(
          file("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz", 26_421_880L,
              "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
          file("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz", 29_515L,
              "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
          file("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz", 4_422_102L,
              "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
          file("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz", 5_148L,
              "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5")),
          List.of(Path.of("/usr/share/datasets/fashion-mnist")), Map.of(
              IdxDatasets.TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
              IdxDatasets.TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
              IdxDatasets.TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
              IdxDatasets.TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
          "MIT (Zalando SE)"),
      new Entry("kmnist", "Kuzushiji-MNIST cursive Japanese characters, 28x28x1, 10 classes", Format.IDX, null,
          List.of(
              file("http://codh.rois.ac.jp/kmnist/dataset/kmnist/train-images-idx3-ubyte.gz", 18_165_135L,
                  "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4"),
              file("http://codh.rois.ac.jp/kmnist/dataset/kmnist/train-labels-idx1-ubyte.gz", 29_497L,
                  "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17"),
              file("http://codh.rois.ac.jp/kmnist/dataset/kmnist/t10k-images-idx3-ubyte.gz", 3_041_136L,
                  "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5"),
              file("http://codh.rois.ac.jp/kmnist/dataset/kmnist/t10k-labels-idx1-ubyte.gz", 5_120L,
                  "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c")),
          List.of(), Map.of(), "CC BY-SA 4.0 (ROIS-DS Center for Open Data in the Humanities)"),
      new Entry("emnist-digits", "EMNIST digits, 28x28x1, 10 classes (from NIST's 562 MB gzip.zip)",
          Format.EMNIST, "digits", EMNIST_FILES, List.of(), Map.of(), EMNIST_LICENSE),
      new Entry("emnist-letters", "EMNIST letters, 28x28x1, labels 1-26 (from NIST's 562 MB gzip.zip)",
          Format.EMNIST, "letters", EMNIST_FILES, List.of(), Map.of(), EMNIST_LICENSE),
      new Entry("cifar10", "CIFAR-10 color photographs, 32x32x3, 10 classes (binary version)", Format.CIFAR10, null,
          List.of(file("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", 170_052_171L,
              "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd")),
          List.of(), Map.of(), "no license stated; cite Krizhevsky 2009"),
      new Entry("svhn", "SVHN street-view house numbers, cropped digits, 32x32x3, 10 classes", Format.SVHN, null,
          List.of(
              file("http://ufldl.stanford.edu/housenumbers/train_32x32.mat", 182_040_794L,
                  "435e94d69a87fde4fd4d7f3dd208dfc32cb6ae8af2240d066de1df7508d083b8"),
              file("http://ufldl.stanford.edu/housenumbers/test_32x32.mat", 64_275_384L,
                  "cdce80dfb2a2c4c6160906d0bd7c68ec5a99d7ca4831afa54f09182025b6a75b")),
          List.of(), Map.of(), "non-commercial use only (Netzer et al. 2011)"));

  /** Every data set vae4j knows, in the order {@code vae datasets} lists them. */
  public static List<Entry> catalog() {
    return CATALOG;
  }

  /** The entry called {@code name}. */
  public static Entry entry(String name) {
    for (Entry e : CATALOG) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw VaeException.setting("dataset must be one of " + String.join(", ", CATALOG.stream().map(Entry::name)
        .toList()) + ", got '" + name + "' (see vae datasets)", "dataset");
  }

  /**
   * Where and how to look.
   *
   * @param home vae4j's folder; the cache is {@code home/datasets/NAME}
   * @param offline forbid downloads
   * @param download the downloader (timeouts, retries, progress)
   * @param log one line per thing worth saying (where the data came from)
   */
  public record Options(Path home, boolean offline, Download download, Consumer<String> log) {
    /** {@code $VAE4J_HOME}, or {@code ~/.vae4j}. */
    public static Path defaultHome() {
      String env = System.getenv("VAE4J_HOME");
      return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".vae4j");
    }
  }

  /** Loads a data set by name, from the first place that has it. */
  public static Dataset load(String name, Options options) {
    return name.equals("mnist") ? IdxDatasets.mnist() : load(entry(name), options);
  }

  /** Loads an entry: cache, then system locations, then a verified download. */
  public static Dataset load(Entry entry, Options options) {
    Path cache = options.home().resolve("datasets").resolve(entry.name());
    if (entry.format() == Format.IDX) {
      if (!entry.files().isEmpty()
          && entry.files().stream().allMatch(f -> Files.isRegularFile(cache.resolve(f.name())))) {
        return named(entry, IdxDatasets.folder(cache));
      }
      for (Path system : entry.systemLocations()) {
        if (hasIdxFiles(system)) {
          options.log().accept("reading " + entry.name() + " from " + system + " (checking its content)");
          return named(entry, IdxDatasets.folder(system, entry.contentSha256()));
        }
      }
    }
    fetchMissing(entry, cache, options);
    return read(entry, cache);
  }

  /**
   * Loads an entry from a folder the user names ({@code --dataset NAME --data DIR}): the files as published, under
   * their published names (idx files gzipped or not); nothing is downloaded. Archives are checked against the
   * published SHA-256, since a different file under the same name would otherwise read as something else.
   */
  public static Dataset loadFrom(Entry entry, Path dir) {
    if (entry.format() == Format.IDX) {
      if (!hasIdxFiles(dir)) {
        throw new VaeException(dir + " does not hold " + entry.name() + "'s idx files (" + IdxDatasets.TRAIN_IMAGES
            + " and the other three, gzipped or not)");
      }
      return named(entry, IdxDatasets.folder(dir));
    }
    for (RemoteFile f : entry.files()) {
      Path file = dir.resolve(f.name());
      if (!Files.isRegularFile(file)) {
        throw new VaeException(dir + " does not hold " + f.name() + ", a file of " + entry.name() + " (from "
            + f.url() + ")");
      }
      String actual = Download.sha256(file);
      if (!actual.equalsIgnoreCase(f.sha256())) {
        throw new VaeException(file + " is not the published " + f.name() + " (SHA-256 " + actual + ", expected "
            + f.sha256() + ")");
      }
    }
    return read(entry, dir);
  }

  private static Dataset read(Entry entry, Path dir) {
    return named(entry, switch (entry.format()) {
      case IDX -> IdxDatasets.folder(dir);
      case EMNIST -> emnist(dir.resolve(entry.files().get(0).name()), entry.variant());
      case CIFAR10 -> cifar10(dir.resolve(entry.files().get(0).name()));
      case SVHN -> new Dataset(entry.name(), svhn(dir.resolve("train_32x32.mat")),
          svhn(dir.resolve("test_32x32.mat")));
    });
  }

  private static Dataset named(Entry entry, Dataset d) {
    return new Dataset(entry.name(), d.train(), d.test());
  }

  private static boolean hasIdxFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    for (String name : new String[] {IdxDatasets.TRAIN_IMAGES, IdxDatasets.TRAIN_LABELS, IdxDatasets.TEST_IMAGES,
        IdxDatasets.TEST_LABELS}) {
      if (!Files.isRegularFile(dir.resolve(name)) && !Files.isRegularFile(dir.resolve(name + ".gz"))) {
        return false;
      }
    }
    return true;
  }

  /** Downloads into the cache every file not there yet (each verified before it takes its name). */
  static void fetchMissing(Entry entry, Path cache, Options options) {
    List<RemoteFile> missing = entry.files().stream().filter(f -> !Files.isRegularFile(cache.resolve(f.name())))
        .toList();
    if (missing.isEmpty()) {
      return;
    }
    if (options.offline()) {
      throw VaeException.setting(entry.name() + " is not in " + cache + (entry.systemLocations().isEmpty() ? ""
          : " nor in " + entry.systemLocations()) + ", and offline forbids downloading it ("
          + String.format("%,d", entry.downloadSize()) + " bytes)", "offline");
    }
    for (RemoteFile f : missing) {
      options.log().accept("downloading " + f.url() + " (" + String.format("%,d", f.size()) + " bytes) into "
          + cache);
      options.download().fetch(f.url(), f.size(), f.sha256(), cache.resolve(f.name()));
    }
  }

  /** EMNIST's split {@code variant} from the archive; its images are stored transposed, so they are turned back. */
  static Dataset emnist(Path zip, String variant) {
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      ImageSet train = emnistSplit(archive, variant, "train", zip);
      ImageSet test = emnistSplit(archive, variant, "test", zip);
      return new Dataset("emnist-" + variant, train, test);
    } catch (IOException e) {
      throw new VaeException("cannot read " + zip + ": " + e.getMessage(), e);
    }
  }

  private static ImageSet emnistSplit(ZipFile archive, String variant, String split, Path zip) throws IOException {
    IdxFile.Contents images = zipEntry(archive, "gzip/emnist-" + variant + "-" + split + "-images-idx3-ubyte.gz",
        zip);
    IdxFile.Contents labels = zipEntry(archive, "gzip/emnist-" + variant + "-" + split + "-labels-idx1-ubyte.gz",
        zip);
    int[] d = images.dims();
    byte[] px = images.data();
    byte[] upright = new byte[px.length];
    int h = d[1];
    int w = d[2];
    for (int n = 0; n < d[0]; n++) {
      int base = n * h * w;
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          upright[base + r * w + c] = px[base + c * h + r];
        }
      }
    }
    return IdxDatasets.toImages(new IdxFile.Contents(d, upright), labels, zip + "!" + split);
  }

  private static IdxFile.Contents zipEntry(ZipFile archive, String name, Path zip) throws IOException {
    ZipEntry e = archive.getEntry(name);
    if (e == null) {
      throw new VaeException(zip + " has no " + name);
    }
    try (InputStream in = archive.getInputStream(e)) {
      return IdxFile.read(in, zip + "!" + name, null);
    }
  }

  /** CIFAR-10's binary batches: data_batch_1..5 for training, test_batch for testing, planar RGB to HWC. */
  static Dataset cifar10(Path archive) {
    Map<String, byte[]> files;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
      files = TarReader.read(in, n -> n.endsWith(".bin"), archive.toString());
    } catch (IOException e) {
      throw new VaeException("cannot read " + archive + ": " + e.getMessage(), e);
    }
    byte[][] train = new byte[5][];
    for (int i = 1; i <= 5; i++) {
      train[i - 1] = entryEnding(files, "data_batch_" + i + ".bin", archive);
    }
    return new Dataset("cifar10", cifarImages(archive, train), cifarImages(archive,
        new byte[][] {entryEnding(files, "test_batch.bin", archive)}));
  }

  private static byte[] entryEnding(Map<String, byte[]> files, String suffix, Path archive) {
    return files.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new VaeException(archive + " has no " + suffix));
  }

  static final int CIFAR_RECORD = 1 + 3 * 1024;

  static ImageSet cifarImages(Path source, byte[][] batches) {
    int count = 0;
    for (byte[] b : batches) {
      if (b.length % CIFAR_RECORD != 0) {
        throw new VaeException(source + " holds a batch of " + b.length + " bytes, not a whole number of "
            + CIFAR_RECORD + "-byte records");
      }
      count += b.length / CIFAR_RECORD;
    }
    byte[] pixels = new byte[count * 3072];
    int[] labels = new int[count];
    int n = 0;
    for (byte[] b : batches) {
      for (int r = 0; r < b.length / CIFAR_RECORD; r++, n++) {
        int at = r * CIFAR_RECORD;
        labels[n] = b[at] & 0xff;
        for (int p = 0; p < 1024; p++) {
          for (int c = 0; c < 3; c++) {
            pixels[n * 3072 + p * 3 + c] = b[at + 1 + c * 1024 + p];
          }
        }
      }
    }
    return new ImageSet(pixels, labels, count, 32, 32, 3);
  }

  /** One SVHN split: X is [32, 32, 3, N] column-major (row fastest), y holds 1..10 with 10 for the digit 0. */
  static ImageSet svhn(Path file) {
    Map<String, MatFile.Array> arrays;
    try (InputStream in = Files.newInputStream(file)) {
      arrays = MatFile.read(in, file.toString());
    } catch (IOException e) {
      throw new VaeException("cannot read " + file + ": " + e.getMessage(), e);
    }
    MatFile.Array x = arrays.get("X");
    MatFile.Array y = arrays.get("y");
    if (x == null || y == null || x.bytes() == null || x.dims().length != 4) {
      throw new VaeException(file + " does not hold SVHN's X (uint8 [32, 32, 3, N]) and y arrays");
    }
    int[] d = x.dims();
    int h = d[0];
    int w = d[1];
    int c = d[2];
    int count = d[3];
    if (y.size() != count) {
      throw new VaeException(file + " holds " + count + " images but " + y.size() + " labels");
    }
    byte[] pixels = new byte[count * h * w * c];
    byte[] src = x.bytes();
    for (int n = 0; n < count; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int col = 0; col < w; col++) {
          for (int row = 0; row < h; row++) {
            pixels[((n * h + row) * w + col) * c + ch] = src[row + h * (col + w * (ch + c * n))];
          }
        }
      }
    }
    int[] labels = new int[count];
    for (int n = 0; n < count; n++) {
      labels[n] = ((int) y.get(n)) % 10;
    }
    return new ImageSet(pixels, labels, count, h, w, c);
  }
}
