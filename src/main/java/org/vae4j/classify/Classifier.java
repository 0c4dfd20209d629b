package org.vae4j.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.data.ImageSet;
import org.vae4j.data.Shuffle;
import org.vae4j.internal.model.Layers;
import org.vae4j.internal.model.Parameters;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.internal.train.GraphOptimizer;
import org.vae4j.spec.OptimizerConfig;

/**
 * A small convolutional classifier, the judge of a label-conditioned VAE's samples: trained on a data set's
 * labelled training images, it says which class each generated image looks like.
 *
 * <pre>
 * images [N, H, W, C]
 *   conv 32, 5x5, stride 2 -> ReLU      [N, H/2, W/2, 32]
 *   conv 64, 5x5, stride 2 -> ReLU      [N, H/4, W/4, 64]
 *   flatten -> dense 256 -> ReLU -> dense classes (logits)
 * </pre>
 *
 * Trained with Adam (learning rate 1e-3, batch 128) on the softmax cross-entropy; each epoch sees the images in a
 * seeded order, so the same data and seed give the same classifier on one machine. Not thread-safe.
 */
public final class Classifier implements AutoCloseable {
  static final int BATCH = 128;
  static final float LEARNING_RATE = 1e-3f;
  private static final int PREDICT_BATCH = 500;

  private final int classes;
  private final int height;
  private final int width;
  private final int channels;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Operand<TFloat32> loss;
  private final Operand<TInt64> predicted;
  private final Op step;
  private final GraphOptimizer optimizer;
  private long steps;

  private Classifier(int height, int width, int channels, int classes, long seed) {
    if (classes < 2) {
      throw VaeException.setting("a classifier needs at least 2 classes, got " + classes, "classes");
    }
    if (height % 4 != 0 || width % 4 != 0) {
      throw VaeException.setting("the classifier needs height and width divisible by 4, got " + height + "x"
          + width, "image");
    }
    this.classes = classes;
    this.height = height;
    this.width = width;
    this.channels = channels;
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Parameters p = new Parameters(tf, seed);
      Layers l = new Layers(p, Layers.Path.INFERENCE); // no batch norm: both paths are the same
      images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, height, width, channels)));
      labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> logits = logits(l, images, (height / 4) * (width / 4) * 64, classes);
      loss = crossEntropy(tf, logits, labels, classes);
      predicted = tf.math.argMax(logits, tf.constant(1));
      List<Variable<TFloat32>> trainable = new ArrayList<>(p.trainable());
      optimizer = GraphOptimizer.create(OptimizerConfig.adam().withLearningRate(LEARNING_RATE), p);
      step = optimizer.minimize(trainable, GraphOptimizer.gradients(graph, loss, trainable),
          List.of(tf.identity(loss)), "classifier_step");
      session = Sessions.initialized(graph, Sessions.cpu(), List.of(p.initializers()));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private static Operand<TFloat32> logits(Layers l, Operand<TFloat32> images, int flat, int classes) {
    Ops tf = l.tf();
    Operand<TFloat32> c1 = l.relu(l.conv2d("classifier.conv1", images, 32, 5, 2, Layers.Bias.LEARNED));
    Operand<TFloat32> c2 = l.relu(l.conv2d("classifier.conv2", c1, 64, 5, 2, Layers.Bias.LEARNED));
    Operand<TFloat32> hidden = l.relu(l.dense("classifier.dense1", tf.reshape(c2, tf.constant(new int[] {-1, flat})),
        256, Layers.Bias.LEARNED));
    return l.dense("classifier.logits", hidden, classes, Layers.Bias.LEARNED);
  }

  /** The batch mean of -log softmax(logits)[label], the log softmax with the row maximum taken out. */
  private static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels,
      int classes) {
    Operand<TFloat32> max = tf.stopGradient(tf.max(logits, tf.constant(1), Max.keepDims(true)));
    Operand<TFloat32> shifted = tf.math.sub(logits, max);
    Operand<TFloat32> logSoftmax = tf.math.sub(shifted, tf.math.log(tf.sum(tf.math.exp(shifted), tf.constant(1),
        org.tensorflow.op.core.Sum.keepDims(true))));
    Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    return tf.math.neg(tf.math.mean(tf.sum(tf.math.mul(oneHot, logSoftmax), tf.constant(1)), tf.constant(0)));
  }

  /** Hears each finished epoch. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called after epoch {@code epoch} (counted from 1) of {@code epochs}, with the epoch's mean batch cross-entropy
     * in nats and its duration in seconds.
     */
    void epochDone(int epoch, int epochs, double meanLoss, double seconds);
  }

  /**
   * Trains a classifier of {@code classes} classes on {@code train}'s images and labels for {@code epochs} epochs.
   *
   * @throws VaeException when the images have no labels or a label is outside [0, classes)
   */
  public static Classifier train(ImageSet train, int classes, int epochs, long seed, Listener listener) {
    if (!train.hasLabels()) {
      throw VaeException.setting("the classifier's training images have no labels", "classes");
    }
    if (epochs < 1) {
      throw VaeException.setting("epochs must be at least 1, got " + epochs, "epochs");
    }
    Classifier c = new Classifier(train.height(), train.width(), train.channels(), classes, seed);
    try {
      for (int e = 0; e < epochs; e++) {
        long t0 = System.nanoTime();
        double sum = c.epoch(train, seed, e);
        if (listener != null) {
          listener.epochDone(e + 1, epochs, sum, (System.nanoTime() - t0) / 1e9);
        }
      }
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private double epoch(ImageSet train, long seed, int epoch) {
    int size = height * width * channels;
    int[] order = Shuffle.order(train.count(), seed, epoch);
    float[] buffer = new float[BATCH * size];
    double sum = 0;
    int batches = 0;
    for (int from = 0; from + 1 < train.count(); from += BATCH) {
      int n = Math.min(BATCH, train.count() - from);
      train.copyImages(order, from, n, buffer);
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        y[i] = checkedLabel(train.label(order[from + i]), order[from + i]);
      }
      List<Tensor> owned = new ArrayList<>();
      try {
        TFloat32 x = Tensors.floats(n == BATCH ? buffer : Arrays.copyOf(buffer, n * size), n, height, width,
            channels);
        owned.add(x);
        TInt32 t = TInt32.vectorOf(y);
        owned.add(t);
        Session.Runner runner = session.runner().feed(images, x).feed(labels, t).addTarget(step).fetch(loss);
        owned.addAll(optimizer.feed(runner, ++steps, LEARNING_RATE));
        try (Result r = runner.run()) {
          sum += Tensors.scalar(r.get(0));
          batches++;
        }
      } finally {
        owned.forEach(Tensor::close);
      }
    }
    return sum / Math.max(1, batches);
  }

  private int checkedLabel(int label, int index) {
    if (label < 0 || label >= classes) {
      throw VaeException.setting("training image " + index + " has label " + label + ", outside 0.." + (classes - 1),
          "classes");
    }
    return label;
  }

  /** The number of classes it tells apart. */
  public int classes() {
    return classes;
  }

  /** The most likely class of each image (rows of height x width x channels values in [0, 1]). */
  public int[] predict(float[][] rows) {
    int[] out = new int[rows.length];
    for (int from = 0; from < rows.length; from += PREDICT_BATCH) {
      float[][] part = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + PREDICT_BATCH));
      for (float[] row : part) {
        if (row == null || row.length != height * width * channels) {
          throw new IllegalArgumentException("images must be rows of " + height + "x" + width + "x" + channels
              + " values");
        }
      }
      try (TFloat32 x = Tensors.rows(part, height, width, channels);
          Result r = session.runner().feed(images, x).fetch(predicted).run()) {
        long[] classesOf = new long[part.length];
        ((TInt64) r.get(0)).scalars().forEachIndexed((i, v) -> classesOf[(int) i[0]] = v.getLong());
        for (int i = 0; i < part.length; i++) {
          out[from + i] = (int) classesOf[i];
        }
      }
    }
    return out;
  }

  /** The share of {@code set}'s images whose predicted class is their label. */
  public double accuracy(ImageSet set) {
    int[] predicted = predict(set.images(0, set.count()));
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == set.label(i) ? 1 : 0;
    }
    return set.count() == 0 ? 0 : (double) right / set.count();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
