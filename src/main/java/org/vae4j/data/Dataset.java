package org.vae4j.data;

/**
 * A training set and a test set of images of one shape.
 *
 * @param name what the model card records as the data set (for example {@code mnist} or a folder path)
 * @param train the images a model trains on
 * @param test the images its test figures are measured on
 */
public record Dataset(String name, ImageSet train, ImageSet test) {
  /**
   * Checks that the two sets agree.
   *
   * @throws IllegalArgumentException when the training and test images differ in height, width or channels
   */
  public Dataset {
    if (train.height() != test.height() || train.width() != test.width() || train.channels() != test.channels()) {
      throw new IllegalArgumentException("training and test images of " + name + " differ in shape");
    }
  }

  /** Height of every image, in pixels. */
  public int height() {
    return train.height();
  }

  /** Width of every image, in pixels. */
  public int width() {
    return train.width();
  }

  /** Channels per pixel (1 for gray, 3 for RGB). */
  public int channels() {
    return train.channels();
  }

  /** The same data with at most {@code n} training images (the first ones). */
  public Dataset limitTrain(int n) {
    return new Dataset(name, train.first(n), test);
  }
}
