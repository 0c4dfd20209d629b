package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.data.ImageSet;
import org.vae4j.data.Shuffle;

class BatchFeedTest {
  private static ImageSet images(int count, int size) {
    byte[] b = new byte[count * size];
    new SplittableRandom(3).nextBytes(b);
    return new ImageSet(b, null, count, 1, size, 1);
  }

  private static float[] inline(ImageSet set, int[] order, int batch, int n, long step) {
    try (BatchFeed f = new BatchFeed(set, order, 4, set.imageSize(), 9L, false)) {
      return Arrays.copyOf(f.batch(batch, n, step), n * set.imageSize());
    }
  }

  @Test
  void aWrongGuessOfTheNextStepIsPreparedAgainAndARightOneIsTaken() {
    ImageSet set = images(14, 5);
    int[] order = Shuffle.order(14, 1, 1);
    try (BatchFeed f = new BatchFeed(set, order, 4, 5, 9L, true)) {
      assertArrayEquals(inline(set, order, 0, 4, 0), Arrays.copyOf(f.batch(0, 4, 0), 20));
      f.prefetch(1, 4, 1);
      assertArrayEquals(inline(set, order, 1, 4, 1), Arrays.copyOf(f.batch(1, 4, 1), 20), "the guess held");
      f.prefetch(2, 4, 2);
      // step 1 was skipped (a non-finite loss): batch 2 is drawn for step 1 again, not with the guessed 2
      assertArrayEquals(inline(set, order, 2, 4, 1), Arrays.copyOf(f.batch(2, 4, 1), 20), "the guess failed");
      f.prefetch(3, 2, 2);
      assertArrayEquals(inline(set, order, 3, 2, 2), Arrays.copyOf(f.batch(3, 2, 2), 10));
    }
  }

  @Test
  void aFailureOnTheBackgroundThreadReachesTheTrainingThread() {
    ImageSet set = images(8, 5);
    try (BatchFeed f = new BatchFeed(set, new int[] {0, 1, 2, 3, 4, 5, 6, 99}, 4, 5, null, true)) {
      f.batch(0, 4, 0);
      f.prefetch(1, 4, 1);
      assertThrows(IndexOutOfBoundsException.class, () -> f.batch(1, 4, 1));
    }
  }
}
