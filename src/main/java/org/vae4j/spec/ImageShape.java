package org.vae4j.spec;

import org.vae4j.VaeException;

/**
 * Height, width and channels of the images a model reads and writes.
 *
 * @param height rows of pixels (1 and up)
 * @param width columns of pixels (1 and up)
 * @param channels values per pixel (1 and up): 1 for gray, 3 for RGB
 */
public record ImageShape(int height, int width, int channels) {
  /**
   * Checks the shape.
   *
   * @throws VaeException when a side or the channel count is below 1
   */
  public ImageShape {
    if (height < 1 || width < 1 || channels < 1) {
      throw new VaeException("image shape " + height + "x" + width + "x" + channels + " must be positive");
    }
  }

  /** Floats per image. */
  public int size() {
    return height * width * channels;
  }

  /** The shape as {@code [height, width, channels]}, as a model card's {@code image_shape} gives it. */
  public int[] toArray() {
    return new int[] {height, width, channels};
  }

  @Override
  public String toString() {
    return height + "x" + width + "x" + channels;
  }
}
