package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;

/**
 * A bounded mutation fuzzer for the idx reader: starting from valid files and the kept corpus
 * ({@code src/test/resources/fuzz/idx}), it mutates bytes, headers and gzip framing for a few seconds. The reader
 * must either return contents whose size matches their dimensions, or throw a {@link VaeException} that names the
 * file; anything else (another exception, an error, a hang) fails the test and the input is written to
 * {@code target/fuzz-failures}.
 *
 * <p>{@code -Dvae4j.fuzz.seconds=N} sets the time (default 5); {@code -Dvae4j.fuzz.corpus=DIR} writes one input per
 * new kind of outcome to DIR, which is how the kept corpus was made.
 */
class IdxFuzzTest {
  private static final Path CORPUS = Path.of("src/test/resources/fuzz/idx");
  private static final String SOURCE = "fuzz-input";

  private static List<byte[]> seeds() throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    byte[] images = Fixtures.idx(new int[] {3, 4, 5}, new byte[60]);
    byte[] labels = Fixtures.idx(new int[] {7}, new byte[] {0, 1, 2, 3, 4, 5, 6});
    byte[] color = Fixtures.idx(new int[] {2, 2, 2, 3}, new byte[24]);
    for (byte[] b : List.of(images, labels, color)) {
      seeds.add(b);
      seeds.add(Fixtures.gzip(b));
    }
    if (Files.isDirectory(CORPUS)) {
      try (Stream<Path> files = Files.list(CORPUS)) {
        for (Path p : files.sorted().toList()) {
          seeds.add(Files.readAllBytes(p));
        }
      }
    }
    return seeds;
  }

  /** One mutation of {@code in}. */
  static byte[] mutate(byte[] in, SplittableRandom r) {
    byte[] b = in.clone();
    switch (r.nextInt(9)) {
      case 0 -> { // flip a bit
        if (b.length > 0) {
          int i = r.nextInt(b.length);
          b[i] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> { // an interesting byte
        if (b.length > 0) {
          byte[] values = {0, 1, 3, 8, 9, 0x0d, 0x1f, (byte) 0x8b, 0x7f, (byte) 0x80, (byte) 0xff};
          b[r.nextInt(b.length)] = values[r.nextInt(values.length)];
        }
      }
      case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncate
      case 3 -> { // append junk
        byte[] junk = new byte[1 + r.nextInt(16)];
        r.nextBytes(junk);
        byte[] out = java.util.Arrays.copyOf(b, b.length + junk.length);
        System.arraycopy(junk, 0, out, b.length, junk.length);
        b = out;
      }
      case 4 -> { // delete a run
        if (b.length > 1) {
          int from = r.nextInt(b.length);
          int n = 1 + r.nextInt(Math.min(8, b.length - from));
          byte[] out = new byte[b.length - n];
          System.arraycopy(b, 0, out, 0, from);
          System.arraycopy(b, from + n, out, from, b.length - from - n);
          b = out;
        }
      }
      case 5 -> { // a dimension set to an extreme
        if (b.length >= 8 && b[0] == 0 && b[1] == 0) {
          int rank = b[3] & 0xff;
          if (rank > 0 && b.length >= 4 + 4 * rank) {
            int[] extremes = {0, 1, -1, Integer.MAX_VALUE, 65536, 1 << 24};
            ByteBuffer.wrap(b).putInt(4 + 4 * r.nextInt(rank), extremes[r.nextInt(extremes.length)]);
          }
        }
      }
      case 6 -> b = Fixtures.gzip(b); // (re)wrap in gzip
      case 7 -> { // unwrap gzip when possible
        try (InputStream in2 = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(b))) {
          b = in2.readNBytes(1 << 20);
        } catch (IOException e) {
          // not gzip: keep as is
        }
      }
      default -> { // change the rank byte
        if (b.length >= 4) {
          b[3] = (byte) r.nextInt(7);
        }
      }
    }
    return b;
  }

  /** What reading an input gave: "ok" or the error message with its numbers blanked (a kind of outcome). */
  static String outcome(byte[] input) {
    try {
      IdxFile.Contents c = IdxFile.read(new ByteArrayInputStream(input), SOURCE, null);
      long size = 1;
      for (int d : c.dims()) {
        size *= d;
      }
      assertEquals(size, c.data().length, "contents match their dimensions");
      return "ok rank " + c.dims().length;
    } catch (VaeException e) {
      assertTrue(e.getMessage().contains(SOURCE), "the message names the file: " + e.getMessage());
      return e.getMessage().replaceAll("0x\\p{XDigit}+", "X").replaceAll("-?\\d+", "N");
    }
  }

  /** One input may take this long before the reader counts as hung (a real read of one takes microseconds). */
  private static final int HANG_SECONDS = 5;

  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "idx-fuzz");
    t.setDaemon(true); // a hung read must not keep the test JVM alive
    return t;
  });

  @AfterEach
  void stopWorker() {
    worker.shutdownNow();
  }

  @Test
  @Timeout(120)
  void theIdxReaderAcceptsOrNamesTheProblemOfEveryMutatedFile() throws IOException {
    double seconds = Double.parseDouble(System.getProperty("vae4j.fuzz.seconds", "5"));
    String corpusOut = System.getProperty("vae4j.fuzz.corpus");
    List<byte[]> pool = seeds();
    Map<String, byte[]> kinds = new LinkedHashMap<>();
    SplittableRandom r = new SplittableRandom(Long.getLong("vae4j.fuzz.seed", 1L));
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long runs = 0;
    while (System.nanoTime() < end) {
      byte[] input = pool.get(r.nextInt(pool.size()));
      int depth = 1 + r.nextInt(3);
      for (int i = 0; i < depth; i++) {
        input = mutate(input, r);
      }
      String kind;
      byte[] current = input;
      Future<String> run = worker.submit(() -> outcome(current));
      try {
        kind = run.get(HANG_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException | InterruptedException e) {
        run.cancel(true);
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        Path failures = Files.createDirectories(Path.of("target/fuzz-failures"));
        Path file = failures.resolve(HexFormat.of().formatHex(IdxFile.sha256().digest(input)).substring(0, 16));
        Files.write(file, input);
        fail("the idx reader " + (e instanceof TimeoutException ? "hung for " + HANG_SECONDS + " s" : "failed")
            + " on " + file + ": " + cause, cause);
        return;
      }
      if (kinds.putIfAbsent(kind, input) == null) {
        pool.add(input); // a new kind of outcome: worth mutating further
      }
      runs++;
    }
    if (corpusOut != null) {
      Path out = Files.createDirectories(Path.of(corpusOut));
      int n = 0;
      for (byte[] input : kinds.values()) {
        Files.write(out.resolve(String.format("case-%03d.idx", n++)), input);
      }
    }
    assertTrue(runs > 100, "ran " + runs + " inputs");
    assertTrue(kinds.size() >= 8, "reached " + kinds.size() + " kinds of outcome: " + kinds.keySet());
  }

  @Test
  void everyFileOfTheKeptCorpusIsAcceptedOrNamed() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<Path> corpus = files.sorted().toList();
      assertTrue(corpus.size() >= 8, "the corpus holds " + corpus.size() + " files");
      for (Path p : corpus) {
        outcome(Files.readAllBytes(p));
      }
    }
  }

}
