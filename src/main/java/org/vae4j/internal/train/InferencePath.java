package org.vae4j.internal.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.contract.Given;
import org.vae4j.contract.Rows;
import org.vae4j.data.ImageSet;
import org.vae4j.data.Shuffle;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.spec.Evaluation;

/**
 * The calls a training session makes on its evaluation path (batch norm on moving averages, as the export): the
 * test ELBO of an image set, and encode, decode and reconstruct for pictures and for comparing the in-process
 * model with its export; and how a conditional model's labels are fed to either path.
 */
final class InferencePath {
  private final Session session;
  private final TrainingGraph g;
  /** The first half of the evaluation noise's seed pair. */
  private final long evalSeed;

  InferencePath(Session session, TrainingGraph g, long evalSeed) {
    this.session = session;
    this.g = g;
    this.evalSeed = evalSeed;
  }

  /**
   * Feeds the first {@code n} of {@code labels} to a label-conditioned model's label input (a model without one
   * takes none), checked as every call's are ({@link Given#check}); the tensor joins {@code owned}, which the
   * caller closes.
   */
  static void feedLabels(TrainingGraph g, Session.Runner runner, int[] labels, int n, List<Tensor> owned) {
    if (g.labels == null) {
      return;
    }
    if (labels == null || labels.length < n) {
      throw new IllegalArgumentException("this model is conditioned on a label: give one label per image");
    }
    Given.Feed feed;
    try {
      feed = Given.labels(n == labels.length ? labels : Arrays.copyOf(labels, n)).check(g.spec.conditioning(),
          Given.RowKind.IMAGES, n, "image", g.spec.image().toArray());
    } catch (IllegalArgumentException e) {
      throw new VaeException(e.getMessage(), e); // the data's labels, not the caller's: a setting, not an argument
    }
    feed(g, runner, feed, owned);
  }

  /**
   * Feeds what a checked {@code feed} holds: labels to the label input, observed inputs to the images (the
   * training graph reads X from them), masks to the mask input; the tensors join {@code owned}.
   */
  private static void feed(TrainingGraph g, Session.Runner runner, Given.Feed feed, List<Tensor> owned) {
    var s = g.spec.image();
    if (feed.labels() != null) {
      TInt32 t = TInt32.vectorOf(feed.labels());
      owned.add(t);
      runner.feed(g.labels, t);
    }
    if (feed.conditions() != null) {
      TFloat32 t = Tensors.rows(feed.conditions(), s.height(), s.width(), s.channels());
      owned.add(t);
      runner.feed(g.images, t);
    }
    if (feed.masks() != null) {
      TFloat32 t = Tensors.rows(feed.masks(), s.height(), s.width(), s.channels());
      owned.add(t);
      runner.feed(g.masks, t);
    }
  }

  /** The labels of {@code n} images of {@code set} taken in {@code order} from {@code from}; null without labels. */
  static int[] labelsOf(TrainingGraph g, ImageSet set, int[] order, int from, int n) {
    if (g.labels == null) {
      return null;
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = set.label(order[from + i]);
    }
    return out;
  }

  Evaluation evaluate(ImageSet images, long stream) {
    var s = g.spec.image();
    int[] order = Shuffle.identity(images.count());
    float[] buffer = new float[TrainingSession.EVAL_BATCH * s.size()];
    double rec = 0;
    double kl = 0;
    double[] perDimension = new double[g.spec.latentDim()];
    for (int from = 0, b = 0; from < images.count(); from += TrainingSession.EVAL_BATCH, b++) {
      int n = Math.min(TrainingSession.EVAL_BATCH, images.count() - from);
      images.copyImages(order, from, n, buffer);
      float[] values = n == TrainingSession.EVAL_BATCH ? buffer : Arrays.copyOf(buffer, n * s.size());
      List<Tensor> owned = new ArrayList<>();
      try (TFloat32 batch = Tensors.floats(values, n, s.height(), s.width(), s.channels());
          TInt64 seed = TInt64.vectorOf(evalSeed, stream * 1_000_003L + b)) {
        Session.Runner runner = session.runner().feed(g.images, batch).feed(g.noiseSeed, seed)
            .fetch(g.evalReconstructionSum).fetch(g.evalKlSum).fetch(g.evalKlPerDimensionSum);
        feedLabels(g, runner, labelsOf(g, images, order, from, n), n, owned);
        try (Result r = runner.run()) {
          rec += Tensors.scalar(r.get(0));
          kl += Tensors.scalar(r.get(1));
          float[] dims = Tensors.toFloats(r.get(2));
          for (int j = 0; j < dims.length; j++) {
            perDimension[j] += dims[j];
          }
        }
      } finally {
        owned.forEach(Tensor::close);
      }
    }
    int count = images.count();
    for (int j = 0; j < perDimension.length; j++) {
      perDimension[j] /= count;
    }
    return new Evaluation((rec - kl) / count, rec / count, kl / count, perDimension, count);
  }

  float[][][] encode(float[][] images, Given given) {
    List<float[][]> out = fetchRows(images, g.images, checked(images, given, Given.RowKind.IMAGES, "image"),
        g.evalPosterior.mean(), g.evalPosterior.stddev());
    return new float[][][] {out.get(0), out.get(1)};
  }

  /** Decoder means for codes with what the model is given (labels, or a partial-input model's observed inputs). */
  float[][] decode(float[][] codes, Given given) {
    return fetchRows(codes, g.latent, checked(codes, given, Given.RowKind.CODES, "latent code"), g.evalDecoded)
        .get(0);
  }

  float[][] reconstruct(float[][] images, Given given) {
    return fetchRows(images, g.images, checked(images, given, Given.RowKind.IMAGES, "image"),
        g.evalReconstruction).get(0);
  }

  private Given.Feed checked(float[][] rows, Given given, Given.RowKind kind, String what) {
    int[] shape = g.spec.image().toArray();
    if (kind == Given.RowKind.IMAGES) {
      Rows.check(rows, g.spec.image().size(), what, Rows.imageRow(shape), true);
    } else {
      Rows.check(rows, g.spec.latentDim(), what, "latentDim = " + g.spec.latentDim(), false);
    }
    if (given == null) {
      throw new IllegalArgumentException("given is null; pass Given.NONE when the model takes nothing beside the "
          + what + "s");
    }
    return given.check(g.spec.conditioning(), kind, rows.length, what, shape);
  }

  /** Feeds {@code rows} to {@code placeholder} with what {@code feed} holds, and returns each output as rows. */
  private List<float[][]> fetchRows(float[][] rows, Operand<TFloat32> placeholder, Given.Feed feed,
      Operand<?>... outputs) {
    var s = g.spec.image();
    List<Tensor> owned = new ArrayList<>();
    try {
      TFloat32 input = placeholder == g.latent ? Tensors.rows(rows, g.spec.latentDim())
          : Tensors.rows(rows, s.height(), s.width(), s.channels());
      owned.add(input);
      Session.Runner runner = session.runner().feed(placeholder, input);
      feed(g, runner, feed, owned);
      for (var o : outputs) {
        runner.fetch(o);
      }
      try (Result r = runner.run()) {
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
          out.add(Tensors.toRows(r.get(i)));
        }
        return out;
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }
}
