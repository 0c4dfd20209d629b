package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.contract.Conditioning;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.bench.Soak;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;
import org.vae4j.serve.Vae;

/** {@code vae soak}: many threads on one model for a long time: errors, answers, latency, memory. */
final class SoakCommand extends Command {
  SoakCommand() {
    super("soak", "call encode, decode, reconstruct, sample and score from many threads on one model for a while,"
        + " checking every answer", "--model DIR [options]");
  }

  @Override
  Options options() {
    return TestImages.options()
        .addOption(Args.value("threads", "N", "calling threads (default 16)"))
        .addOption(Args.value("seconds", "X", "how long (default 600)"))
        .addOption(Args.value("images", "N", "test images per call (default 16)"))
        .addOption(Args.value("json", "FILE", "also write the figures as JSON"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    int threads = Args.integer(line, "threads", 16, 1, 1024);
    float seconds = Args.positive(line, "seconds", 600f, 1e6f);
    int n = Args.integer(line, "images", 16, 1, 10_000);
    try (Vae vae = Args.loadModel(line)) {
      if (!(vae.conditioning() instanceof Conditioning.None)) {
        // its calls (decode, sample without a condition) are the unconditional contract's
        throw new UsageException(vae.path() + " is a conditional model; vae soak checks the calls of"
            + " unconditional models only");
      }
      ImageSet test = TestImages.of(line, io, vae, n).images();
      io.err().printf("soaking %s: %d threads for %.0f s on %d test images per call%n", vae.path(), threads,
          seconds, test.count());
      Soak.Report r = Soak.run(vae, test.images(0, test.count()), threads, seconds, (t, calls, rss) ->
          io.err().printf(Locale.ROOT, "  %5.0f s  %,10d calls  RSS %.0f MB%n", t, calls, rss));
      io.out().printf(Locale.ROOT, "threads %d, %.0f s, %,d calls (%.0f/s), %d errors, %d answers unlike the"
          + " single-thread reference%n", r.threads(), r.seconds(), r.calls(), r.calls() / r.seconds(), r.errors(),
          r.mismatches());
      io.out().printf(Locale.ROOT, "latency per call: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          r.latencyMillis()[0], r.latencyMillis()[1], r.latencyMillis()[2], r.latencyMillis()[3]);
      double[] rss = r.rssMegabytes();
      io.out().printf(Locale.ROOT, "resident memory: %.0f MB after warm-up, %.0f MB once the threads settled"
          + " (%.0f s), %.0f MB at the end (%+.0f MB since settling), highest %.0f MB%n", rss[0], rss[1],
          Soak.settleSeconds(r.seconds()), rss[2], rss[2] - rss[1], rss[3]);
      r.firstErrors().forEach(e -> io.out().println("error: " + e));
      Path json = Args.path(line, "json");
      if (json != null) {
        Files2.writeAtomically(json, (Json.write(r.toMap()) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return r.errors() == 0 && r.mismatches() == 0 ? Main.OK : Main.FAILED;
    }
  }
}
