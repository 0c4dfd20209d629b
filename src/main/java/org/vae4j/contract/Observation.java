package org.vae4j.contract;

import org.vae4j.util.Choice;

/**
 * Which pixels a partial-input conditional VAE observes: X, the part of the image Y it is given, is the image's
 * values at these positions (every channel of an observed pixel), the same fixed set for every image. The model
 * learns p(Y | X): completions of the whole image from its observed part.
 *
 * <p>Part of the export contract: a model card's {@code observe} names one of these, and the positions are what
 * a client must fill in the {@code condition} input (the others are ignored). The networks read the observed
 * values alone, in row-major order ({@link #indices}).
 */
public enum Observation implements Choice {
  /** The middle column of pixels (column W/2), the experiment of Doersch's tutorial on MNIST. */
  MIDDLE_COLUMN,
  /** The left half of the columns. */
  LEFT_HALF,
  /** The top half of the rows. */
  TOP_HALF,
  /** A centred square of side min(H, W) / 2. */
  CENTER_SQUARE;

  /** Whether pixel (row, col) of an image of {@code height} x {@code width} is observed. */
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
    };
  }

  /** One flag per value of an image row (height x width x channels, channels last): observed or not. */
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

  /** The number of values the model observes per image. */
  public int count(int height, int width, int channels) {
    return indices(height, width, channels).length;
  }

  public static Observation parse(String text) {
    return Choice.parse(Observation.class, text, "observe");
  }
}
