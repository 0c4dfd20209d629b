package org.vae4j.model;

import org.vae4j.VaeException;

/** Height, width and channels of the images a model reads and writes. */
public record ImageShape(int height, int width, int channels) {
  public ImageShape {
    if (height < 1 || width < 1 || channels < 1) {
      throw new VaeException("image shape " + height + "x" + width + "x" + channels + " must be positive");
    }
  }

  /** Floats per image. */
  public int size() {
    return height * width * channels;
  }

  public int[] toArray() {
    return new int[] {height, width, channels};
  }

  @Override
  public String toString() {
    return height + "x" + width + "x" + channels;
  }
}
