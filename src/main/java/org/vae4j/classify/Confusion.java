package org.vae4j.classify;

import java.util.Locale;

/**
 * How often images of each asked-for class were classified as each class: {@code counts[asked][predicted]}.
 *
 * @param counts the square matrix of counts, one row per class asked for and one column per class predicted
 */
public record Confusion(int[][] counts) {
  /**
   * Keeps a copy of {@code counts}.
   *
   * @throws IllegalArgumentException when {@code counts} is not square
   */
  public Confusion {
    counts = copy(counts);
  }

  /** Counts the pairs of {@code asked} and {@code predicted} classes (same length) among {@code classes}. */
  public static Confusion of(int[] asked, int[] predicted, int classes) {
    if (asked.length != predicted.length) {
      throw new IllegalArgumentException(asked.length + " asked classes for " + predicted.length + " predictions");
    }
    int[][] counts = new int[classes][classes];
    for (int i = 0; i < asked.length; i++) {
      counts[asked[i]][predicted[i]]++;
    }
    return new Confusion(counts);
  }

  /** A copy of the counts, {@code counts[asked][predicted]}. */
  @Override
  public int[][] counts() {
    return copy(counts);
  }

  /** The number of classes, the matrix's size. */
  public int classes() {
    return counts.length;
  }

  /** The number of images counted, the sum of every cell. */
  public int total() {
    int n = 0;
    for (int[] row : counts) {
      for (int c : row) {
        n += c;
      }
    }
    return n;
  }

  /** The share classified as the class asked for (the diagonal over the total). */
  public double matchRate() {
    int right = 0;
    for (int i = 0; i < counts.length; i++) {
      right += counts[i][i];
    }
    return total() == 0 ? 0 : (double) right / total();
  }

  /** The share of class {@code c}'s images classified as {@code c}. */
  public double recall(int c) {
    int n = 0;
    for (int v : counts[c]) {
      n += v;
    }
    return n == 0 ? 0 : (double) counts[c][c] / n;
  }

  /** A Markdown table: one row per class asked for, one column per class predicted, and the row's match rate. */
  public String markdown() {
    StringBuilder b = new StringBuilder("| asked \\ classified |");
    for (int j = 0; j < counts.length; j++) {
      b.append(' ').append(j).append(" |");
    }
    b.append(" match |\n|---|");
    b.append("---|".repeat(counts.length)).append("---|\n");
    for (int i = 0; i < counts.length; i++) {
      b.append("| ").append(i).append(" |");
      for (int v : counts[i]) {
        b.append(' ').append(v).append(" |");
      }
      b.append(String.format(Locale.ROOT, " %.1f%% |%n", 100 * recall(i)));
    }
    return b.toString();
  }

  private static int[][] copy(int[][] m) {
    int[][] out = new int[m.length][];
    for (int i = 0; i < m.length; i++) {
      if (m[i].length != m.length) {
        throw new IllegalArgumentException("a confusion matrix is square: row " + i + " has " + m[i].length
            + " entries for " + m.length + " classes");
      }
      out[i] = m[i].clone();
    }
    return out;
  }
}
