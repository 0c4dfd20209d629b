package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.contract.Conditioning;
import org.vae4j.data.IdxDatasets;
import org.vae4j.internal.bench.Machine;
import org.vae4j.internal.bench.ServeLoad;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;
import org.vae4j.serve.Vae;

/** {@code vae serve-bench}: a load run of vae serve over loopback against the same calls in-process. */
final class ServeBenchCommand extends Command {
  ServeBenchCommand() {
    super("serve-bench", "load vae serve over loopback (predict encode batch 1, reconstruct batch 32) and make the"
        + " same calls through Vae: requests/s, p50/p99, errors", "--model DIR [options]");
  }

  @Override
  Options options() {
    return Args.modelOptions()
        .addOption(Args.value("clients", "N", "concurrent clients (default 16)"))
        .addOption(Args.value("seconds", "X", "seconds per measurement, four measurements (default 60)"))
        .addOption(Args.value("json", "FILE", "also write the figures as JSON"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    int clients = Args.integer(line, "clients", 16, 1, 1024);
    double seconds = Args.positive(line, "seconds", 60f, 3600f);
    try (Vae vae = Args.loadModel(line)) {
      float[][] images;
      int[] shape = vae.imageShape();
      if (shape[0] == 28 && shape[1] == 28 && shape[2] == 1) {
        images = IdxDatasets.mnist().test().images(0, 32);
      } else {
        images = !(vae.conditioning() instanceof Conditioning.None) ? null : vae.sample(32, 1L).images();
      }
      if (images == null || !(vae.conditioning() instanceof Conditioning.None)) {
        throw new UsageException(vae.path() + " is a conditional model; vae serve-bench measures the calls of"
            + " unconditional models");
      }
      io.err().println("load run on " + vae.path() + ":");
      List<ServeLoad.Figures> figures = ServeLoad.run(vae, images, clients, seconds, io.err());
      io.out().println("machine: " + Machine.here().describe() + "; " + clients + " clients, " + seconds
          + " s each");
      io.out().printf("%-34s %10s %10s %9s %9s %7s%n", "", "requests", "req/s", "p50 ms", "p99 ms", "errors");
      for (ServeLoad.Figures f : figures) {
        io.out().printf(Locale.ROOT, "%-34s %10d %10.1f %9.2f %9.2f %7d%n", f.name(), f.requests(), f.perSecond(),
            f.p50(), f.p99(), f.errors());
      }
      for (int i = 0; i + 1 < figures.size(); i += 2) {
        io.out().printf(Locale.ROOT, "%s: HTTP gives %.2f of the in-process requests/s%n",
            figures.get(i).name().replace(" via HTTP", ""), figures.get(i).perSecond() / figures.get(i + 1)
                .perSecond());
      }
      if (line.hasOption("json")) {
        Files2.writeAtomically(Path.of(line.getOptionValue("json")), (Json.write(Map.of("machine",
            Machine.here().describe(), "clients", clients, "seconds", seconds, "figures", ServeLoad.json(figures)))
            + "\n").getBytes(StandardCharsets.UTF_8));
      }
      long errors = figures.stream().mapToLong(ServeLoad.Figures::errors).sum();
      return errors == 0 ? Main.OK : Main.FAILED;
    }
  }
}
