package org.vae4j.data;

import java.util.SplittableRandom;
import org.vae4j.VaeException;
import org.vae4j.Choice;

/**
 * Bernoulli binarization of gray levels, as the binarized-MNIST literature uses: a pixel of intensity p becomes 1
 * with probability p.
 *
 * <ul>
 *   <li>{@code none}: gray levels as they are
 *   <li>{@code dynamic}: a fresh draw every time a training batch is drawn (Salakhutdinov and Murray's protocol
 *       as used by the IWAE paper); the test set is binarized once with a fixed seed
 *   <li>{@code static}: one draw of the training and the test set, fixed by the seed
 * </ul>
 */
public enum Binarization implements Choice {
  /** Gray levels as they are. */
  NONE,
  /** A fresh draw for every training batch; the test set binarized once with {@link #TEST_SEED}. */
  DYNAMIC,
  /** One draw of the training set (fixed by the run's seed) and one of the test set. */
  STATIC;

  /** Seed of the test set's one binarization, the same for every run so test figures compare. */
  public static final long TEST_SEED = 0x7465_7374L;

  /**
   * The option labelled {@code text}: {@code none}, {@code dynamic} or {@code static} (case and surrounding space
   * ignored).
   *
   * @throws VaeException naming the {@code binarize} setting and every choice when {@code text} is none of them
   */
  public static Binarization parse(String text) {
    return Choice.parse(Binarization.class, text, "binarize");
  }

  /**
   * The sets a run trains and tests on: {@code none} leaves both as they are; {@code dynamic} keeps the training
   * gray levels (the trainer draws per batch) and binarizes the test set once with {@link #TEST_SEED};
   * {@code static} binarizes the training set once with {@code seed} and the test set with {@link #TEST_SEED}.
   */
  public Dataset prepare(Dataset data, long seed) {
    return switch (this) {
      case NONE -> data;
      case DYNAMIC -> new Dataset(data.name(), data.train(), once(data.test(), TEST_SEED));
      case STATIC -> new Dataset(data.name(), once(data.train(), seed), once(data.test(), TEST_SEED));
    };
  }

  /**
   * The validation images carved from a prepared training set: under {@code dynamic} they are still gray levels,
   * so they are binarized once (with {@link #TEST_SEED}) to match what training and test measure; the other
   * options have prepared them already.
   */
  public ImageSet validation(ImageSet held) {
    return this == DYNAMIC ? once(held, TEST_SEED) : held;
  }

  /** What the test figures of a run with this option were measured on. */
  public String testData() {
    return this == NONE ? "gray levels" : "binarized once with seed " + TEST_SEED;
  }

  /** Replaces each value v in [0, 1] of {@code pixels[from .. from + n)} by 1 with probability v, else 0. */
  public static void sample(float[] pixels, int from, int n, SplittableRandom random) {
    for (int i = from; i < from + n; i++) {
      pixels[i] = random.nextFloat() < pixels[i] ? 1f : 0f;
    }
  }

  /** One binarized copy of a whole image set (values 0 or 255), drawn with {@code seed}. */
  public static ImageSet once(ImageSet set, long seed) {
    int size = set.imageSize();
    float[] row = new float[size];
    byte[] bits = new byte[size];
    PixelStore out = PixelStore.allocate(set.count(), size, PixelStore.CHUNK_BYTES);
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = Shuffle.identity(set.count());
    for (int i = 0; i < set.count(); i++) {
      set.copyImages(order, i, 1, row);
      for (int j = 0; j < size; j++) {
        bits[j] = random.nextFloat() < row[j] ? (byte) 255 : 0;
      }
      out.write(i, bits, 0);
    }
    int[] labels = null;
    if (set.hasLabels()) {
      labels = new int[set.count()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = set.label(i);
      }
    }
    return new ImageSet(out, 0, labels, set.count(), set.height(), set.width(), set.channels());
  }
}
