package org.vae4j.data;

import java.util.SplittableRandom;

/** Reproducible orders of a data set: the same (seed, epoch) always gives the same permutation. */
public final class Shuffle {
  private Shuffle() {}

  /** A permutation of 0 .. count - 1 for one epoch (Fisher-Yates over a generator seeded by seed and epoch). */
  public static int[] order(int count, long seed, int epoch) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** 0 .. count - 1 in order. */
  public static int[] identity(int count) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    return order;
  }
}
