package org.vae4j.internal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.vae4j.serve.ElboScorer;
import org.vae4j.serve.LossScorer;
import org.vae4j.serve.Vae;

/**
 * Many threads sharing one {@link Vae} for a while: every answer is compared with the answer the model gave a
 * single thread, errors are counted, call latencies are recorded, and the process's resident memory is sampled so
 * growth shows. What a JVM service that calls the model for weeks needs to know.
 */
public final class Soak {
  private static final String[] CALLS = {"encode", "decode", "reconstruct", "sample", "score"};

  private Soak() {}

  /**
   * The figures of a soak.
   *
   * @param mismatches answers that differed from the single-thread reference
   * @param latencyMillis p50, p90, p99 and max of one call, in milliseconds
   * @param rssMegabytes resident memory after the single-thread warm-up, once the threads have settled (the first
   *     sample {@link #settleSeconds} into the run), at the end, and the highest sample, in MB (0 where /proc is not
   *     available). Many threads make TensorFlow and the C allocator take memory per thread during the first
   *     seconds; growth after settling is what would show a leak.
   */
  public record Report(int threads, double seconds, long calls, long errors, long mismatches,
      double[] latencyMillis, double[] rssMegabytes, List<String> firstErrors) {

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threads", threads);
      m.put("seconds", seconds);
      m.put("calls", calls);
      m.put("calls_per_second", calls / seconds);
      m.put("errors", errors);
      m.put("mismatches", mismatches);
      m.put("latency_ms_p50", latencyMillis[0]);
      m.put("latency_ms_p90", latencyMillis[1]);
      m.put("latency_ms_p99", latencyMillis[2]);
      m.put("latency_ms_max", latencyMillis[3]);
      m.put("rss_mb_start", rssMegabytes[0]);
      m.put("rss_mb_settled", rssMegabytes[1]);
      m.put("rss_settle_seconds", settleSeconds(seconds));
      m.put("rss_mb_end", rssMegabytes[2]);
      m.put("rss_mb_max", rssMegabytes[3]);
      m.put("rss_mb_growth", rssMegabytes[2] - rssMegabytes[0]);
      m.put("rss_mb_growth_after_settling", rssMegabytes[2] - rssMegabytes[1]);
      return m;
    }
  }

  /** When the threads count as settled: a minute into the run, or half-way through a shorter one. */
  public static double settleSeconds(double seconds) {
    return Math.min(60, seconds / 2);
  }

  /** Single-thread answers to every call, on {@code images} (rows for the model) and seed 7 samples. */
  private record Reference(float[][] images, float[][] mean, float[][] decoded, float[][] reconstruction,
      float[][] samples, float[] elbo) {}

  /** Hears a soak as it goes (elapsed seconds, calls so far, RSS now), every few seconds. */
  @FunctionalInterface
  public interface Progress {
    void update(double seconds, long calls, double rssMegabytes);
  }

  public static Report run(Vae vae, float[][] images, int threads, double seconds, Progress progress)
      throws InterruptedException {
    Reference ref = reference(vae, images);
    for (int i = 0; i < 3; i++) {
      reference(vae, images); // warm-up: first calls allocate TensorFlow's buffers
    }
    double rssStart = rssMegabytes();
    double[] rssMax = {rssStart};
    double rssSettled = Double.NaN;
    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong mismatches = new AtomicLong();
    List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        latencies[t] = new long[1 << 16];
        futures.add(pool.submit(() -> {
          for (int i = 0; System.nanoTime() < end; i++) {
            String call = CALLS[(thread + i) % CALLS.length];
            long t0 = System.nanoTime();
            try {
              if (!same(vae, call, ref)) {
                mismatches.incrementAndGet();
              }
            } catch (RuntimeException e) {
              errors.incrementAndGet();
              if (firstErrors.size() < 5) {
                firstErrors.add(call + ": " + e);
              }
            }
            long dt = System.nanoTime() - t0;
            // a uniform sample of every call's latency per thread (reservoir sampling): all while they fit,
            // then call n replaces a random slot with probability size / (n + 1)
            int n = counts[thread]++;
            long[] slot = latencies[thread];
            if (n < slot.length) {
              slot[n] = dt;
            } else {
              long j = java.util.concurrent.ThreadLocalRandom.current().nextLong(n + 1L);
              if (j < slot.length) {
                slot[(int) j] = dt;
              }
            }
            calls.incrementAndGet();
          }
          return null;
        }));
      }
      while (System.nanoTime() < end) {
        Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        double rss = rssMegabytes();
        rssMax[0] = Math.max(rssMax[0], rss);
        if (Double.isNaN(rssSettled) && System.nanoTime() - start >= settleSeconds(seconds) * 1e9) {
          rssSettled = rss;
        }
        if (progress != null) {
          progress.update((System.nanoTime() - start) / 1e9, calls.get(), rss);
        }
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          errors.incrementAndGet();
          firstErrors.add(String.valueOf(e.getCause()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double rssEnd = rssMegabytes();
    if (Double.isNaN(rssSettled)) {
      rssSettled = rssEnd;
    }
    long total = 0;
    for (int t = 0; t < threads; t++) {
      total += Math.min(counts[t], latencies[t].length);
    }
    long[] all = new long[(int) total];
    int k = 0;
    for (int t = 0; t < threads; t++) {
      int n = Math.min(counts[t], latencies[t].length);
      System.arraycopy(latencies[t], 0, all, k, n);
      k += n;
    }
    Arrays.sort(all);
    double[] pct = all.length == 0 ? new double[4] : new double[] {all[(int) (all.length * 0.50)] / 1e6,
        all[(int) (all.length * 0.90)] / 1e6, all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6,
        all[all.length - 1] / 1e6};
    return new Report(threads, elapsed, calls.get(), errors.get(), mismatches.get(), pct,
        new double[] {rssStart, rssSettled, rssEnd, Math.max(rssMax[0], rssEnd)}, List.copyOf(firstErrors));
  }

  private static Reference reference(Vae vae, float[][] images) {
    float[][] mean = vae.encode(images).mean();
    return new Reference(images, mean, vae.decode(mean), vae.reconstruct(images), vae.sample(8, 7).images(),
        scores(vae, images));
  }

  private static boolean same(Vae vae, String call, Reference ref) {
    return switch (call) {
      case "encode" -> Arrays.deepEquals(ref.mean(), vae.encode(ref.images()).mean());
      case "decode" -> Arrays.deepEquals(ref.decoded(), vae.decode(ref.mean()));
      case "reconstruct" -> Arrays.deepEquals(ref.reconstruction(), vae.reconstruct(ref.images()));
      case "sample" -> Arrays.deepEquals(ref.samples(), vae.sample(8, 7).images());
      default -> Arrays.equals(ref.elbo(), scores(vae, ref.images()));
    };
  }

  /** The score signature's per-image figure: the ELBO, or the loss of an mse model. */
  private static float[] scores(Vae vae, float[][] images) {
    return vae.scorer() instanceof ElboScorer e ? e.score(images).elbo()
        : ((LossScorer) vae.scorer()).squaredErrors(images).loss();
  }

  /** This process's resident memory in MB, from /proc/self/status (0 where that file does not exist). */
  public static double rssMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: no figure
    }
    return 0;
  }
}
