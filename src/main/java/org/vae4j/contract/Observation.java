package org.vae4j.contract;

import java.util.SplittableRandom;
import org.vae4j.Choice;

/**
 * Which pixels a partial-input conditional VAE observes: X, the part of the image Y it is given, is the image's
 * values at these positions (every channel of an observed pixel). The model learns p(Y | X): completions of the
 * whole image from its observed part.
 *
 * <p>The first four observe the same fixed set of every image, and the networks read the observed values alone,
 * in row-major order ({@link #indices}). {@link #RANDOM_MASK} observes a different set of each image, given as a
 * mask beside it: the networks read the image times its mask and the mask itself.
 *
 * <p>Part of the export contract: a model card's {@code observe} names one of these; the positions are what a
 * client must fill in the {@code condition} input (the others are ignored), and a random-mask model's signatures
 * also take the {@code mask}.
 */
public enum Observation implements Choice {
  /** The middle column of pixels (column W/2), the experiment of Doersch's tutorial on MNIST. */
  MIDDLE_COLUMN,
  /** The left half of the columns. */
  LEFT_HALF,
  /** The top half of the rows. */
  TOP_HALF,
  /** A centred square of side min(H, W) / 2. */
  CENTER_SQUARE,
  /**
   * A random set of pixels of each image, given as a mask. In training each image draws its own: with
   * probability 1/2 scattered pixels (a rate r uniform in [0, 1), then each pixel observed with probability r),
   * else a rectangle (its rows between two indices drawn uniformly from 0..H, its columns likewise from 0..W)
   * that is the observed part or, equally often, the hidden one. So the model learns to complete from anything
   * between no pixel and all of them, scattered or in blocks (columns, halves and squares among them); {@link
   * #masks} draws the same way from a seed.
   */
  RANDOM_MASK;

  /** Whether every image observes the same pixels (all but {@link #RANDOM_MASK}). */
  public boolean fixed() {
    return this != RANDOM_MASK;
  }

  /**
   * Whether pixel (row, col) of an image of {@code height} x {@code width} is observed.
   *
   * @throws IllegalStateException for {@link #RANDOM_MASK}, which observes no fixed pixels
   */
  public boolean observes(int row, int col, int height, int width) {
    return switch (this) {
      case MIDDLE_COLUMN -> col == width / 2;
      case LEFT_HALF -> col < width / 2;
      case TOP_HALF -> row < height / 2;
      case CENTER_SQUARE -> {
        int side = Math.max(1, Math.min(height, width) / 2);
        int top = (height - side) / 2;
        int left = (width - side) / 2;
        yield row >= top && row < top + side && col >= left && col < left + side;
      }
      case RANDOM_MASK -> throw new IllegalStateException("random-mask observes no fixed pixels; draw masks");
    };
  }

  /**
   * The masks of images {@code from} .. {@code from + count - 1}: the fixed mask of a fixed observation repeated,
   * or for {@link #RANDOM_MASK} masks drawn as in training (scattered pixels or a rectangle, see there). Image i's
   * mask depends on {@code seed} and i alone.
   */
  public boolean[][] masks(int from, int count, int height, int width, int channels, long seed) {
    boolean[][] out = new boolean[count][];
    boolean[] shared = fixed() ? mask(height, width, channels) : null;
    for (int i = 0; i < count; i++) {
      out[i] = shared != null ? shared.clone() : drawn(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + from + i),
          height, width, channels);
    }
    return out;
  }

  private static boolean[] drawn(SplittableRandom random, int height, int width, int channels) {
    double kind = random.nextDouble();
    double rate = random.nextDouble();
    int rowA = (int) Math.floor(random.nextDouble() * (height + 1));
    int rowB = (int) Math.floor(random.nextDouble() * (height + 1));
    int colA = (int) Math.floor(random.nextDouble() * (width + 1));
    int colB = (int) Math.floor(random.nextDouble() * (width + 1));
    boolean[] out = new boolean[height * width * channels];
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        boolean inside = r >= Math.min(rowA, rowB) && r < Math.max(rowA, rowB) && c >= Math.min(colA, colB)
            && c < Math.max(colA, colB);
        // drawn for every pixel whatever the kind, so a pixel's draw does not depend on the kind
        boolean scattered = random.nextDouble() < rate;
        boolean seen = kind < 0.5 ? scattered : kind < 0.75 ? inside : !inside;
        for (int k = 0; k < channels; k++) {
          out[(r * width + c) * channels + k] = seen;
        }
      }
    }
    return out;
  }

  /**
   * One flag per value of an image row (height x width x channels, channels last): observed or not.
   *
   * @throws IllegalStateException for {@link #RANDOM_MASK}
   */
  public boolean[] mask(int height, int width, int channels) {
    boolean[] out = new boolean[height * width * channels];
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        boolean seen = observes(r, c, height, width);
        for (int k = 0; k < channels; k++) {
          out[(r * width + c) * channels + k] = seen;
        }
      }
    }
    return out;
  }

  /** The indices into an image row of the observed values, ascending. */
  public int[] indices(int height, int width, int channels) {
    boolean[] m = mask(height, width, channels);
    int n = 0;
    for (boolean b : m) {
      n += b ? 1 : 0;
    }
    int[] out = new int[n];
    for (int i = 0, j = 0; i < m.length; i++) {
      if (m[i]) {
        out[j++] = i;
      }
    }
    return out;
  }

  /** The number of values the model observes per image (a fixed observation's). */
  public int count(int height, int width, int channels) {
    return indices(height, width, channels).length;
  }

  /**
   * The observation labelled {@code text}.
   *
   * @throws org.vae4j.VaeException naming {@code observe} when {@code text} is none of the labels
   */
  public static Observation parse(String text) {
    return Choice.parse(Observation.class, text, "observe");
  }
}
