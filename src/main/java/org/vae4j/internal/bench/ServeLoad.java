package org.vae4j.internal.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.vae4j.http.ModelServer;
import org.vae4j.internal.json.Json;
import org.vae4j.serve.Vae;

/**
 * A bounded load run of {@code vae serve} over loopback: {@code clients} threads send the same predict request
 * for a while, each waiting for its answer before the next (a closed loop), and the same calls are then made
 * in-process through {@link Vae} by as many threads, so the ratio is what HTTP and JSON cost. Every answer is
 * checked (status 200 and the number of rows); anything else counts as an error.
 */
public final class ServeLoad {
  private ServeLoad() {}

  /** One scenario's figures: requests per second, latency percentiles in ms, and errors. */
  public record Figures(String name, long requests, double perSecond, double p50, double p99, long errors) {
    Map<String, Object> json() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("scenario", name);
      out.put("requests", requests);
      out.put("requests_per_second", perSecond);
      out.put("p50_ms", p50);
      out.put("p99_ms", p99);
      out.put("errors", errors);
      return out;
    }
  }

  /** Runs encode batch 1 and reconstruct batch 32, over HTTP and in-process, {@code seconds} each. */
  public static List<Figures> run(Vae vae, float[][] images, int clients, double seconds, java.io.PrintStream log)
      throws Exception {
    List<Figures> out = new ArrayList<>();
    try (ModelServer server = ModelServer.start(ModelServer.Options.defaults().withPort(0).withPoll(Duration.ZERO)
        .withThreads(Math.max(4, clients)).withModel("bench", vae))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI predict = server.uri().resolve("v1/models/bench:predict");
      int[] shape = vae.imageShape();
      for (int batch : new int[] {1, 32}) {
        String signature = batch == 1 ? "encode" : "reconstruct";
        float[][] x = Arrays.copyOf(images, batch);
        List<Object> rows = new ArrayList<>();
        for (float[] row : x) {
          rows.add(nest(row, shape));
        }
        String body = Json.writeLine(Map.of("signature_name", signature, "instances", rows));
        log.println("  " + signature + " batch " + batch + ": " + clients + " HTTP clients for " + seconds + " s...");
        out.add(measure(signature + " batch " + batch + " via HTTP", clients, seconds, () -> {
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(predict)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && ((List<?>) Json.parseObject(r.body()).get("predictions")).size() == batch;
          } catch (Exception e) {
            return false;
          }
        }));
        log.println("  " + signature + " batch " + batch + ": " + clients + " threads calling Vae for " + seconds
            + " s...");
        out.add(measure(signature + " batch " + batch + " via Vae", clients, seconds, () -> batch == 1
            ? vae.encode(x).mean().length == batch : vae.reconstruct(x).length == batch));
      }
    }
    return out;
  }

  private static Object nest(float[] row, int[] shape) {
    List<Object> image = new ArrayList<>(shape[0]);
    int i = 0;
    for (int y = 0; y < shape[0]; y++) {
      List<Object> line = new ArrayList<>(shape[1]);
      for (int x = 0; x < shape[1]; x++) {
        List<Object> px = new ArrayList<>(shape[2]);
        for (int c = 0; c < shape[2]; c++) {
          px.add(row[i++]);
        }
        line.add(px);
      }
      image.add(line);
    }
    return image;
  }

  private static Figures measure(String name, int clients, double seconds, Supplier<Boolean> call)
      throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      call.get(); // warm-up
    }
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong errors = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    int[] counts = new int[clients];
    Thread[] threads = new Thread[clients];
    long started = System.nanoTime();
    for (int t = 0; t < clients; t++) {
      long[] latencies = new long[1 << 20];
      perThread.add(latencies);
      int id = t;
      threads[t] = new Thread(() -> {
        int n = 0;
        while (System.nanoTime() < end && n < latencies.length) {
          long t0 = System.nanoTime();
          boolean ok;
          try {
            ok = call.get();
          } catch (RuntimeException e) {
            ok = false;
          }
          latencies[n++] = System.nanoTime() - t0;
          if (!ok) {
            errors.incrementAndGet();
          }
        }
        counts[id] = n;
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int k = 0;
    for (int t = 0; t < clients; t++) {
      System.arraycopy(perThread.get(t), 0, all, k, counts[t]);
      k += counts[t];
    }
    Arrays.sort(all);
    return new Figures(name, total, total / elapsed, percentile(all, 0.50), percentile(all, 0.99), errors.get());
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
        / 1e6;
  }

  /** The figures as a JSON-ready list. */
  public static List<Object> json(List<Figures> figures) {
    List<Object> out = new ArrayList<>();
    figures.forEach(f -> out.add(f.json()));
    return out;
  }
}
