package org.vae4j.data;

/**
 * A training set and a test set of images of one shape.
 *
 * @param name what the model card records as the data set (for example {@code mnist} or a folder path)
 */
public record Dataset(String name, ImageSet train, ImageSet test) {
  public Dataset {
    if (train.height() != test.height() || train.width() != test.width() || train.channels() != test.channels()) {
      throw new IllegalArgumentException("training and test images of " + name + " differ in shape");
    }
  }

  public int height() {
    return train.height();
  }

  public int width() {
    return train.width();
  }

  public int channels() {
    return train.channels();
  }

  /** The same data with at most {@code n} training images (the first ones). */
  public Dataset limitTrain(int n) {
    return new Dataset(name, train.first(n), test);
  }
}
