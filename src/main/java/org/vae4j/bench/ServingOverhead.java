package org.vae4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import org.vae4j.contract.Contract;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;
import org.vae4j.tf.Device;
import org.vae4j.tf.Sessions;
import org.vae4j.tf.Tensors;

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

  /** Measures {@code model} for at least {@code seconds} per side, on the CPU. */
  public static ServingOverhead measure(Path model, double seconds) {
    long t0 = System.nanoTime();
    double raw;
    double rawLoad;
    float[][] image;
    try (SavedModelBundle bundle = SavedModelBundle.loader(model.toString()).withTags(Contract.TAG)
        .withConfigProto(Sessions.cpu()).load()) {
      rawLoad = (System.nanoTime() - t0) / 1e6;
      int[] shape = shapeOf(bundle);
      image = new float[1][shape[0] * shape[1] * shape[2]];
      Arrays.fill(image[0], 0.5f);
      try (TFloat32 x = Tensors.rows(image, shape[0], shape[1], shape[2])) {
        raw = median(seconds, () -> {
          try (Result r = bundle.function(Contract.ENCODE).call(Map.of(Contract.IMAGES, x))) {
            r.get(Contract.MEAN).orElseThrow();
          }
        });
      }
    }
    long t1 = System.nanoTime();
    try (Vae vae = Vae.load(model, VaeOptions.defaults().withDevice(Device.CPU))) {
      double vaeLoad = (System.nanoTime() - t1) / 1e6;
      double wrapped = median(seconds, () -> vae.encode(image));
      return new ServingOverhead(raw, wrapped, rawLoad, vaeLoad);
    }
  }

  private static int[] shapeOf(SavedModelBundle bundle) {
    var s = bundle.function(Contract.ENCODE).signature().getInputs().get(Contract.IMAGES).shape;
    return new int[] {(int) s.get(1), (int) s.get(2), (int) s.get(3)};
  }

  /** The median of calls timed one by one, after 20 untimed ones, for at least {@code seconds}. */
  static double median(double seconds, Runnable call) {
    for (int i = 0; i < 20; i++) {
      call.run();
    }
    double[] times = new double[200_000];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while ((n < 50 || System.nanoTime() < end) && n < times.length) {
      long t = System.nanoTime();
      call.run();
      times[n++] = (System.nanoTime() - t) / 1e6;
    }
    double[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    return sorted[n / 2];
  }
}
