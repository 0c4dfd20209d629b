package org.vae4j.internal.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import org.vae4j.contract.Contract;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.tf.Tensors;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;
import org.vae4j.spec.Device;

/**
 * What the {@link Vae} wrapper costs over TensorFlow: one image encoded through the raw {@code encode} signature of
 * a {@link SavedModelBundle} (one input tensor made once, reused) against {@link Vae#encode} (input checks, the
 * tensor copy, the read lock, the result copy), as medians of many calls; and the time each takes to load.
 *
 * @param rawMedianMillis the raw signature call, batch 1
 * @param vaeMedianMillis {@code Vae.encode}, batch 1
 * @param rawLoadMillis {@code SavedModelBundle.load}
 * @param vaeLoadMillis {@code Vae.load} (card, trust check, load, signature checks)
 */
public record ServingOverhead(double rawMedianMillis, double vaeMedianMillis, double rawLoadMillis,
    double vaeLoadMillis) {

  /** The wrapper's time over the raw call, as a ratio (1.0: none). */
  public double ratio() {
    return vaeMedianMillis / rawMedianMillis;
  }

  /**
   * Measures {@code model} on the CPU for at least {@code seconds}: the two calls alternate, so whatever else the
   * machine does slows both alike.
   */
  public static ServingOverhead measure(Path model, double seconds) {
    long t0 = System.nanoTime();
    try (SavedModelBundle bundle = SavedModelBundle.loader(model.toString()).withTags(Contract.TAG)
        .withConfigProto(Sessions.cpu()).load()) {
      double rawLoad = (System.nanoTime() - t0) / 1e6;
      long t1 = System.nanoTime();
      try (Vae vae = Vae.load(model, VaeOptions.defaults().withDevice(Device.CPU))) {
        double vaeLoad = (System.nanoTime() - t1) / 1e6;
        int[] shape = shapeOf(bundle);
        float[][] image = new float[1][shape[0] * shape[1] * shape[2]];
        Arrays.fill(image[0], 0.5f);
        try (TFloat32 x = Tensors.rows(image, shape[0], shape[1], shape[2])) {
          Runnable raw = () -> {
            try (Result r = bundle.function(Contract.ENCODE).call(Map.of(Contract.IMAGES, x))) {
              r.get(Contract.MEAN).orElseThrow();
            }
          };
          Runnable wrapped = () -> vae.encode(image);
          double[] medians = medians(seconds, raw, wrapped);
          return new ServingOverhead(medians[0], medians[1], rawLoad, vaeLoad);
        }
      }
    }
  }

  private static int[] shapeOf(SavedModelBundle bundle) {
    var s = bundle.function(Contract.ENCODE).signature().getInputs().get(Contract.IMAGES).shape;
    return new int[] {(int) s.get(1), (int) s.get(2), (int) s.get(3)};
  }

  /** The medians of two calls timed one by one in turn, after 20 untimed rounds, for at least {@code seconds}. */
  static double[] medians(double seconds, Runnable a, Runnable b) {
    for (int i = 0; i < 20; i++) {
      a.run();
      b.run();
    }
    int max = 100_000;
    double[] ta = new double[max];
    double[] tb = new double[max];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while ((n < 50 || System.nanoTime() < end) && n < max) {
      long t = System.nanoTime();
      a.run();
      long u = System.nanoTime();
      b.run();
      ta[n] = (u - t) / 1e6;
      tb[n++] = (System.nanoTime() - u) / 1e6;
    }
    return new double[] {median(ta, n), median(tb, n)};
  }

  private static double median(double[] times, int n) {
    double[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    return sorted[n / 2];
  }
}
