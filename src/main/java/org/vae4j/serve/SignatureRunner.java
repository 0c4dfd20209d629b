package org.vae4j.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.Given;
import org.vae4j.internal.tf.Tensors;

/**
 * How {@link Vae} calls its signatures: under a read lock that {@link #close()} takes for writing (so closing
 * waits for calls in progress and later calls fail cleanly), in chunks of rows, with what a conditional model is
 * given cut to match each chunk.
 */
final class SignatureRunner implements AutoCloseable {
  private final SavedModelBundle bundle;
  private final long[] imageDims;
  private final long[] latentDims;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  SignatureRunner(SavedModelBundle bundle, int[] imageShape, int latentDim) {
    this.bundle = bundle;
    imageDims = new long[] {imageShape[0], imageShape[1], imageShape[2]};
    latentDims = new long[] {latentDim};
  }

  SavedModelBundle bundle() {
    return bundle;
  }

  /**
   * Runs {@code call} unless the model is closed; close() waits for it. Whatever the graph does wrong (a failed
   * op, a tensor of another type or size than the contract's) comes out as one {@link VaeException}.
   */
  <T> T locked(Supplier<T> call) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("this Vae is closed");
      }
      return called(call);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static <T> T called(Supplier<T> call) {
    try {
      return call.get();
    } catch (VaeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      if (e.getClass() == IllegalArgumentException.class) {
        throw e; // a caller's mistake found by Vae's own checks (TensorFlow's failed ops are subclasses)
      }
      throw failed(e);
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  private static VaeException failed(RuntimeException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName()
        : e.getMessage().lines().findFirst().orElse("");
    return new VaeException("the model failed: " + why, e);
  }

  /**
   * The one place a returned tensor becomes arrays: {@code rows} rows of {@code width} float values (a per-row
   * scalar is a row of one), or one sentence saying how the model broke the contract.
   */
  static float[][] checkedRows(Tensor t, String signature, String key, int rows, long width) {
    check(t, signature, key, rows, width);
    return t.shape().numDimensions() == 1 ? Tensors.asColumn(Tensors.toFloats(t)) : Tensors.toRows(t);
  }

  private static void check(Tensor t, String signature, String key, int rows, long width) {
    if (!(t instanceof TFloat32)) {
      throw new VaeException("the model's '" + signature + "' signature returned '" + key + "' as "
          + t.dataType() + ", not float32");
    }
    long[] dims = t.shape().asArray();
    if (dims.length == 0 || dims[0] != rows || t.shape().size() != rows * width) {
      throw new VaeException("the model's '" + signature + "' signature returned '" + key + "' of shape "
          + t.shape() + " for " + rows + " rows of " + width + " values");
    }
  }

  /** Values per row of an output: an image, a latent code, or one per-image figure. */
  private long width(String key) {
    return switch (key) {
      case Contract.IMAGES -> imageDims[0] * imageDims[1] * imageDims[2];
      case Contract.MEAN, Contract.STDDEV, Contract.LATENT -> latentDims[0];
      default -> 1;
    };
  }

  /** The signatures the bundle declares, sorted by key (call under {@link #locked}). */
  List<SignatureInfo> signatureInfos() {
    List<SignatureInfo> out = new ArrayList<>();
    for (Signature s : bundle.signatures()) {
      out.add(new SignatureInfo(s.key(), s.methodName(), describe(s.getInputs()), describe(s.getOutputs())));
    }
    out.sort(java.util.Comparator.comparing(SignatureInfo::key));
    return out;
  }

  private static Map<String, TensorInfo> describe(Map<String, Signature.TensorDescription> tensors) {
    Map<String, TensorInfo> out = new java.util.TreeMap<>();
    tensors.forEach((name, t) -> out.put(name, new TensorInfo(String.valueOf(t.dataType),
        t.shape.isUnknown() ? new long[0] : t.shape.asArray(), t.name)));
    return out;
  }

  static Tensor output(Result r, String key) {
    return r.get(key).orElseThrow(() -> new VaeException("the model returned no '" + key + "'"));
  }

  /** The sample signature's {@code rows} images and codes for {@code inputs} (closed by the caller). */
  Vae.Samples sample(Map<String, Tensor> inputs, int rows) {
    return locked(() -> {
      try (Result r = bundle.function(Contract.SAMPLE).call(inputs)) {
        return new Vae.Samples(rowsOf(r, Contract.SAMPLE, Contract.IMAGES, rows),
            rowsOf(r, Contract.SAMPLE, Contract.LATENT, rows));
      }
    });
  }

  private float[][] rowsOf(Result r, String signature, String key, int rows) {
    return checkedRows(output(r, key), signature, key, rows, width(key));
  }

  /**
   * Calls a signature on {@code rows} (fed as {@code input}: images, or latent codes) in chunks and joins the
   * chunks' outputs; each output comes back as rows (a per-image scalar as a row of one value). What the model is
   * conditioned on ({@code feed}, checked) goes with its rows.
   */
  List<float[][]> rows(String signature, String input, float[][] rows, Given.Feed feed, int chunk,
      List<String> outputs) {
    return locked(() -> {
      List<float[][]> joined = new ArrayList<>();
      for (int k = 0; k < outputs.size(); k++) {
        joined.add(new float[rows.length][]);
      }
      long[] dims = Contract.LATENT.equals(input) ? latentDims : imageDims;
      for (int from = 0; from < rows.length; from += chunk) {
        int to = Math.min(rows.length, from + chunk);
        List<Tensor> owned = new ArrayList<>();
        try {
          Map<String, Tensor> feeds = new HashMap<>();
          feeds.put(input, own(owned, Tensors.rows(Arrays.copyOfRange(rows, from, to), dims)));
          put(feeds, feed.slice(from, to), owned);
          try (Result r = bundle.function(signature).call(feeds)) {
            for (int k = 0; k < outputs.size(); k++) {
              float[][] values = rowsOf(r, signature, outputs.get(k), to - from);
              System.arraycopy(values, 0, joined.get(k), from, values.length);
            }
          }
        } finally {
          owned.forEach(Tensor::close);
        }
      }
      return joined;
    });
  }

  private static <T extends Tensor> T own(List<Tensor> owned, T t) {
    owned.add(t);
    return t;
  }

  /**
   * Adds what a checked feed holds (labels, observed inputs, masks) to a call's {@code feeds} under the contract's
   * names; the tensors made join {@code owned}, which the caller closes.
   */
  void put(Map<String, Tensor> feeds, Given.Feed feed, List<Tensor> owned) {
    if (feed.labels() != null) {
      feeds.put(Contract.LABEL, own(owned, TInt32.vectorOf(feed.labels())));
    }
    if (feed.conditions() != null) {
      feeds.put(Contract.CONDITION, own(owned, Tensors.rows(feed.conditions(), imageDims)));
    }
    if (feed.masks() != null) {
      feeds.put(Contract.MASK, own(owned, Tensors.rows(feed.masks(), imageDims)));
    }
  }

  /**
   * The log_weights signature on one tensor of images: {@code n} weights per image, image by image, with what the
   * model is conditioned on ({@code feed}, for those images).
   */
  float[] logWeights(Tensor images, Given.Feed feed, int n, long seed) {
    return locked(() -> {
      List<Tensor> owned = new ArrayList<>();
      try {
        Map<String, Tensor> in = new HashMap<>(Map.of(Contract.IMAGES, images));
        in.put(Contract.SAMPLES, own(owned, TInt32.scalarOf(n)));
        in.put(Contract.SEED, own(owned, TInt64.scalarOf(seed)));
        put(in, feed, owned);
        try (Result r = bundle.function(Contract.LOG_WEIGHTS).call(in)) {
          int rows = (int) images.shape().get(0);
          Tensor t = output(r, Contract.LOG_WEIGHTS);
          check(t, Contract.LOG_WEIGHTS, Contract.LOG_WEIGHTS, rows, n);
          return Tensors.toFloats(t);
        }
      } finally {
        owned.forEach(Tensor::close);
      }
    });
  }

  /** Frees the model; waits for calls in progress. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
