package org.vae4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one check of what a call gives a model beside its rows, and the feed it makes. */
class GivenTest {
  private static final int[] SHAPE = {2, 2, 1};
  private static final Conditioning LABEL = Conditioning.label(3);
  private static final Conditioning COLUMN = Conditioning.partial(Observation.MIDDLE_COLUMN, false);
  private static final Conditioning RANDOM = Conditioning.partial(Observation.RANDOM_MASK, false);

  private static String refused(Given g, Conditioning c, Given.RowKind kind, int count) {
    return assertThrows(IllegalArgumentException.class, () -> g.check(c, kind, count, "image", SHAPE))
        .getMessage();
  }

  @Test
  void eachModelTakesItsOwnKindAndSaysWhatItTakesOtherwise() {
    Given.Feed f = Given.labels(2, 0).check(LABEL, Given.RowKind.IMAGES, 2, "image", SHAPE);
    assertArrayEquals(new int[] {2, 0}, f.labels());
    assertNull(f.masks());
    assertEquals("label 1 is 3; this model's labels are 0 to 2", refused(Given.labels(0, 3), LABEL,
        Given.RowKind.IMAGES, 2));
    assertEquals("1 labels for 2 images; give one label per image", refused(Given.labels(0), LABEL,
        Given.RowKind.IMAGES, 2));
    assertEquals("this model is conditioned on a label of 3 classes: give one label per image (Given.labels)",
        refused(Given.NONE, LABEL, Given.RowKind.IMAGES, 2));
    assertEquals("this model is not conditioned on a label; call it without labels",
        refused(Given.labels(1), Conditioning.NONE, Given.RowKind.IMAGES, 1));
    assertEquals("this model takes no masks: it is unconditional", refused(Given.masks(new boolean[4]),
        Conditioning.NONE, Given.RowKind.IMAGES, 1));
    // a fixed observation: images carry X, codes are given it
    assertNull(Given.NONE.check(COLUMN, Given.RowKind.IMAGES, 1, "image", SHAPE).conditions());
    float[][] x = {{0f, 1f, 0f, 1f}};
    assertSame(x, Given.observed(x).check(COLUMN, Given.RowKind.CODES, 1, "image", SHAPE).conditions());
    assertEquals("this model completes images from their middle-column: give the observed input of each image"
        + " (Given.observed(inputs))", refused(Given.NONE, COLUMN, Given.RowKind.CODES, 1));
    assertEquals("this model takes no masks: it always observes its middle-column",
        refused(Given.observed(x, new boolean[][] {new boolean[4]}), COLUMN, Given.RowKind.CODES, 1));
    assertEquals("observed input 0 has value 2.0 at index 0; expected finite values in [0, 1]",
        refused(Given.observed(new float[][] {{2f, 0f, 0f, 0f}}), COLUMN, Given.RowKind.CODES, 1));
    // a random mask: 0/1 rows of the flags
    Given.Feed m = Given.masks(new boolean[][] {{true, false, false, true}}).check(RANDOM, Given.RowKind.IMAGES, 1,
        "image", SHAPE);
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, m.masks()[0]);
    assertEquals("mask 0 has 3 flags; this model expects 4, one per value of an image",
        refused(Given.masks(new boolean[3]), RANDOM, Given.RowKind.IMAGES, 1));
    assertEquals("this model reads the observed pixels from the images themselves: give each one's mask"
        + " (Given.masks)", refused(Given.observed(x), RANDOM, Given.RowKind.IMAGES, 1));
  }

  @Test
  void slicesAndRepeatsKeepEachRowsEntry() {
    Given labels = Given.labels(5, 6, 7);
    assertArrayEquals(new int[] {6, 7}, ((Given.Labels) labels.slice(1, 3)).labels());
    assertSame(Given.NONE, Given.NONE.slice(0, 0));
    assertEquals(3, labels.count());
    assertEquals(-1, Given.NONE.count());
    Given.Feed f = new Given.Feed(2, new int[] {1, 2}, null, null).repeat(3);
    assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2}, f.labels());
    assertEquals(6, f.count());
    assertArrayEquals(new int[] {2, 2}, f.slice(3, 5).labels());
  }
}
