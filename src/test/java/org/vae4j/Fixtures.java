package org.vae4j;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.vae4j.contract.ModelCard;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.internal.export.SavedModelExport;
import org.vae4j.internal.train.TrainingSession;
import org.vae4j.spec.Device;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** Test data and one small trained model shared by the test classes of one JVM. */
public final class Fixtures {
  private Fixtures() {}

  /** The bytes of an unsigned-byte idx file with the given dimensions and data. */
  /**
   * A tolerance for a figure that TensorFlow computed in float32 and that is compared across different batch
   * sizes, CPUs (AVX2 vs AVX-512) or oneDNN on/off: kernels block by shape and instruction set, so sums of a few
   * thousand float32 terms differ in their last bits. 64 units in the last place of the figure as a float32 (for an
   * ELBO near -500 that is 0.002 nats) is far above the differences seen (about 1e-6 there) and far below any real
   * change.
   */
  public static double float32Tolerance(double figure) {
    return 64 * Math.ulp((float) Math.max(1.0, Math.abs(figure)));
  }

  /** A copy of a model's version folder at {@code target}, for tests that change or break it. */
  /** Replaces {@code from} (which must be there) by {@code to} in a model's card. */
  public static void editCard(Path version, String from, String to) throws IOException {
    Path card = version.resolve(org.vae4j.contract.Contract.MODEL_CARD);
    String text = Files.readString(card, java.nio.charset.StandardCharsets.UTF_8);
    if (!text.contains(from)) {
      throw new AssertionError("the card has no " + from + ": " + text);
    }
    Files.writeString(card, text.replace(from, to), java.nio.charset.StandardCharsets.UTF_8);
  }

  public static Path copyModel(Path version, Path target) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(version)) {
      for (Path p : files.toList()) {
        Path to = target.resolve(version.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return target;
  }

  public static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  public static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes an MNIST-like folder: {@code train} and {@code test} images of size h x w with a bright square whose
   * position depends on the label (so there is something to learn), and labels.
   */
  public static Path idxFolder(Path dir, int train, int test, int h, int w, boolean gz) throws IOException {
    Files.createDirectories(dir);
    writeSplit(dir, "train", train, h, w, gz, 1);
    writeSplit(dir, "t10k", test, h, w, gz, 2);
    return dir;
  }

  private static void writeSplit(Path dir, String prefix, int n, int h, int w, boolean gz, int salt)
      throws IOException {
    byte[] pixels = new byte[n * h * w];
    byte[] labels = new byte[n];
    java.util.Random r = new java.util.Random(salt);
    for (int i = 0; i < n; i++) {
      int label = r.nextInt(4);
      labels[i] = (byte) label;
      int y0 = (label / 2) * (h / 2);
      int x0 = (label % 2) * (w / 2);
      for (int y = 0; y < h / 2; y++) {
        for (int x = 0; x < w / 2; x++) {
          pixels[i * h * w + (y0 + y) * w + x0 + x] = (byte) (200 + r.nextInt(56));
        }
      }
    }
    byte[] images = idx(new int[] {n, h, w}, pixels);
    byte[] labelFile = idx(new int[] {n}, labels);
    String suffix = gz ? ".gz" : "";
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gz ? gzip(images) : images);
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gz ? gzip(labelFile) : labelFile);
  }

  /** A picture of the given size: a colored or gray square on black whose position encodes {@code label}. */
  public static BufferedImage picture(int h, int w, int label, boolean color) {
    BufferedImage img = new BufferedImage(w, h, color ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(color ? new Color(200, 40 * label, 255 - 40 * label) : new Color(220, 220, 220));
    g.fillRect((label % 2) * w / 2, (label / 2) * h / 2, w / 2, h / 2);
    g.dispose();
    return img;
  }

  /**
   * A folder of {@code perLabel} pictures in each of {@code labels} subfolders, in PNG, BMP or JPEG, plus a file
   * that is not an image and one picture of another size.
   */
  public static Path pictureFolder(Path root, int labels, int perLabel, int h, int w, boolean color) throws IOException {
    String[] formats = {"png", "bmp", "jpg"};
    for (int l = 0; l < labels; l++) {
      Path sub = Files.createDirectories(root.resolve("class-" + (char) ('a' + l)));
      for (int i = 0; i < perLabel; i++) {
        String format = formats[i % formats.length];
        ImageIO.write(picture(h, w, l, color), format, sub.resolve("img" + i + "." + format).toFile());
      }
    }
    Files.writeString(root.resolve("class-a").resolve("broken.png"), "this is not a PNG");
    ImageIO.write(picture(2 * h, 3 * w, 0, color), "png", root.resolve("class-a").resolve("large.png").toFile());
    return root;
  }

  /** A small conv VAE trained briefly on the first MNIST images, its open session, and its export. */
  public static final class TinyModel {
    public final VaeSpec spec;
    public final TrainConfig config;
    public final TrainingSession session;
    public final Path checkpoint;
    public final Path base;
    public final Path version;
    public final ModelCard card;
    public final Dataset data;

    private TinyModel(VaeSpec spec, int epochs) throws IOException {
      data = IdxDatasets.mnist().limitTrain(512);
      this.spec = spec;
      config = TrainConfig.defaults().withBatchSize(64).withEpochs(epochs).withSeed(11);
      session = TrainingSession.create(spec, config, org.vae4j.internal.tf.Sessions.cpu());
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        org.vae4j.internal.train.Epochs.train(session, data.train(), epoch, data.test().first(500),
            org.vae4j.internal.train.TrainingListener.SILENT);
      }
      Path root = Files.createTempDirectory("vae4j-tiny");
      root.toFile().deleteOnExit();
      checkpoint = session.saveCheckpoint(root.resolve("checkpoint"));
      card = SavedModelExport.card(spec, "mnist", session.parameterCount(), config.toMap(),
          Map.of("test_elbo", -300.0));
      base = root.resolve("savedmodel");
      version = SavedModelExport.export(spec, checkpoint, card, base, 1, org.vae4j.internal.tf.Sessions.cpu());
    }
  }

  private static TinyModel tiny;
  private static TinyModel conditional;
  private static TinyModel masked;

  /** Trains the tiny model on first use; later calls return the same one. */
  public static synchronized TinyModel tinyModel() {
    if (tiny == null) {
      tiny = trainTiny(VaeSpec.conv(new ImageShape(28, 28, 1), 8), 2);
    }
    return tiny;
  }

  /** The same for a label-conditioned conv VAE (MNIST's 10 classes, z = 4, 2 epochs on 512 images). */
  public static synchronized TinyModel conditionalModel() {
    if (conditional == null) {
      conditional = trainTiny(VaeSpec.conv(new ImageShape(28, 28, 1), 4).withClasses(10), 2);
    }
    return conditional;
  }

  private static TinyModel partial;
  private static TinyModel regressor;

  /** A partial-input conv CVAE observing MNIST's middle column (z = 4, 2 epochs on 512 images). */
  public static synchronized TinyModel partialModel() {
    if (partial == null) {
      partial = trainTiny(VaeSpec.conv(new ImageShape(28, 28, 1), 4)
          .withObservation(org.vae4j.contract.Observation.MIDDLE_COLUMN, false), 2);
    }
    return partial;
  }

  /** Its regressor baseline: the same decoder network without z, on the same column. */
  public static synchronized TinyModel regressorModel() {
    if (regressor == null) {
      regressor = trainTiny(VaeSpec.conv(new ImageShape(28, 28, 1), 4)
          .withObservation(org.vae4j.contract.Observation.MIDDLE_COLUMN, true), 2);
    }
    return regressor;
  }

  /** A random-mask CVAE: each training image observed under its own random mask (conv, z = 4, 2 epochs). */
  public static synchronized TinyModel maskedModel() {
    if (masked == null) {
      masked = trainTiny(VaeSpec.conv(new ImageShape(28, 28, 1), 4)
          .withObservation(org.vae4j.contract.Observation.RANDOM_MASK, false), 2);
    }
    return masked;
  }

  private static TinyModel trainTiny(VaeSpec spec, int epochs) {
    try {
      return new TinyModel(spec, epochs);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the observed pixels of a one-channel mask of h x w, or the unobserved ones, are exactly a rectangle
   * (or nothing): the block masks of random-mask training.
   */
  public static boolean isBlock(boolean[] mask, int h, int w) {
    return isRectangle(mask, h, w, true) || isRectangle(mask, h, w, false);
  }

  private static boolean isRectangle(boolean[] mask, int h, int w, boolean value) {
    int top = h;
    int bottom = -1;
    int left = w;
    int right = -1;
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        if (mask[r * w + c] == value) {
          top = Math.min(top, r);
          bottom = Math.max(bottom, r);
          left = Math.min(left, c);
          right = Math.max(right, c);
        }
      }
    }
    for (int r = top; r <= bottom; r++) {
      for (int c = left; c <= right; c++) {
        if (mask[r * w + c] != value) {
          return false;
        }
      }
    }
    return true;
  }
}
