package org.vae4j.train;

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
import org.vae4j.data.ImageSet;
import org.vae4j.data.Shuffle;
import org.vae4j.tf.Tensors;

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
   * Feeds the first {@code n} of {@code labels} to a conditional model's label input (a model without one takes
   * none); the tensor joins {@code owned}, which the caller closes.
   */
  static void feedLabels(TrainingGraph g, Session.Runner runner, int[] labels, int n, List<Tensor> owned) {
    if (g.labels == null) {
      return;
    }
    if (labels == null || labels.length < n) {
      throw new IllegalArgumentException("this model is conditioned on a label: give one label per image");
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= g.spec.classes()) {
        throw new VaeException("label " + labels[i] + " of image " + i + " is outside 0.." + (g.spec.classes() - 1)
            + ", the classes this model was built for");
      }
    }
    TInt32 t = TInt32.vectorOf(n == labels.length ? labels : Arrays.copyOf(labels, n));
    owned.add(t);
    runner.feed(g.labels, t);
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

  float[][][] encode(float[][] images, int[] labels, boolean[][] masks) {
    var s = g.spec.image();
    List<float[][]> out = withMasks(masks, images.length, m -> fetchRows(Tensors.rows(images, s.height(), s.width(),
        s.channels()), g.images, labels, null, m, images.length, g.evalPosterior.mean(), g.evalPosterior.stddev()));
    return new float[][][] {out.get(0), out.get(1)};
  }

  float[][] decode(float[][] codes, int[] labels) {
    return fetchRows(Tensors.rows(codes, g.spec.latentDim()), g.latent, labels, null, null, codes.length,
        g.evalDecoded).get(0);
  }

  /**
   * A partial-input model's decoder means for codes and one observed input (an image row) per code, with a
   * random-mask model's mask of each (null for other models).
   */
  float[][] decodePartial(float[][] codes, float[][] partials, boolean[][] masks) {
    var s = g.spec.image();
    return withMasks(masks, codes.length, m -> {
      TFloat32 p = Tensors.rows(partials, s.height(), s.width(), s.channels());
      TFloat32 z;
      try {
        z = Tensors.rows(codes, g.spec.latentDim());
      } catch (RuntimeException e) {
        p.close(); // fetchRows closes both, once both exist
        throw e;
      }
      return fetchRows(z, g.latent, null, p, m, codes.length, g.evalDecoded);
    }).get(0);
  }

  float[][] reconstruct(float[][] images, int[] labels, boolean[][] masks) {
    var s = g.spec.image();
    return withMasks(masks, images.length, m -> fetchRows(Tensors.rows(images, s.height(), s.width(),
        s.channels()), g.images, labels, null, m, images.length, g.evalReconstruction)).get(0);
  }

  /**
   * Runs {@code call} with a random-mask model's {@code masks} (one per row, {@code n} in all) as a tensor of 0/1
   * values, closed afterwards; other models take none (null).
   */
  private List<float[][]> withMasks(boolean[][] masks, int n, java.util.function.Function<TFloat32,
      List<float[][]>> call) {
    if ((masks != null) != (g.masks != null)) {
      throw new IllegalArgumentException(g.masks != null ? "this model observes a random mask of each image: give"
          + " one mask per image or code" : "this model takes no masks");
    }
    if (masks == null) {
      return call.apply(null);
    }
    var s = g.spec.image();
    if (masks.length != n) {
      throw new IllegalArgumentException(masks.length + " masks for " + n + " rows; give one mask per row");
    }
    float[] values = new float[n * s.size()];
    for (int i = 0; i < n; i++) {
      if (masks[i] == null || masks[i].length != s.size()) {
        throw new IllegalArgumentException("mask " + i + " must have " + s.size() + " flags, one per value");
      }
      for (int j = 0; j < s.size(); j++) {
        values[i * s.size() + j] = masks[i][j] ? 1f : 0f;
      }
    }
    try (TFloat32 m = Tensors.floats(values, n, s.height(), s.width(), s.channels())) {
      return call.apply(m);
    }
  }

  /**
   * Feeds {@code input} and a partial-input model's observed {@code partials} (both closed here; partials null
   * for other models) and the labels, and returns each fetched output as rows.
   */
  private List<float[][]> fetchRows(TFloat32 input, Operand<TFloat32> placeholder, int[] labels,
      TFloat32 partials, TFloat32 masks, int n, Operand<?>... outputs) {
    List<Tensor> owned = new ArrayList<>(List.of(input));
    if (partials != null) {
      owned.add(partials);
    }
    try {
      Session.Runner runner = session.runner().feed(placeholder, input);
      if (partials != null) {
        runner.feed(g.images, partials);
      }
      if (masks != null) {
        runner.feed(g.masks, masks);
      }
      for (var o : outputs) {
        runner.fetch(o);
      }
      feedLabels(g, runner, labels, n, owned);
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
