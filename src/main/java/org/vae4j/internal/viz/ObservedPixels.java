package org.vae4j.internal.viz;

/** How pictures show a partial-input model's observed input X: its observed values, and gray where it sees none. */
public final class ObservedPixels {
  /**
   * The value drawn at unobserved positions: neither ink nor paper, and darker than the grid's gaps, so both the
   * observed part and the cell's edge stand out.
   */
  public static final float UNSEEN = 0.25f;

  private ObservedPixels() {}

  /** A copy of {@code image} with the values its {@code mask} (one flag per value) does not mark gray. */
  public static float[] shown(float[] image, boolean[] mask) {
    float[] out = new float[image.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = mask[i] ? image[i] : UNSEEN;
    }
    return out;
  }
}
