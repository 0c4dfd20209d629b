package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.internal.bench.Benchmarks;
import org.vae4j.internal.bench.Machine;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;
import org.vae4j.spec.Architecture;
import org.vae4j.spec.Device;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.VaeSpec;

/** {@code vae bench}: throughput of training and inference on synthetic data. */
final class BenchCommand extends Command {
  BenchCommand() {
    super("bench", "measure training and inference images/s and the training FLOP rate on synthetic data",
        "[options]");
  }

  @Override
  Options options() {
    return new Options()
        .addOption(Args.batchSize())
        .addOption(Args.value("steps", "N", "timed training steps (default 30)"))
        .addOption(Args.latentDim())
        .addOption(Args.value("image", "HxWxC", "image shape (default 28x28x1)"))
        .addOption(Args.value("architecture", "conv|mlp", "the model family (default conv)"))
        .addOption(Args.value("hidden", "N,N,...", "mlp hidden layer sizes, encoder order (default 512,256)"))
        .addOption(TrainOptions.CONV_CHANNELS).addOption(TrainOptions.CONV_EXTRA).addOption(TrainOptions.CONV_DENSE)
        .addOption(Args.value("matmul-size", "N", "side of the reference matrix multiply (default 2048)"))
        .addOption(Args.value("seconds", "X", "least time per inference measurement (default 2)"))
        .addOption(Args.device())
        .addOption(Args.value("threads", "N", "TensorFlow intra- and inter-op threads (default 0: one per core)"))
        .addOption(Args.value("profile", "STEPS", "also trace STEPS training steps and print where the time goes, by"
            + " op (TensorFlow's step statistics)"))
        .addOption(Args.value("binarize", "none|dynamic", "binarization of the training batches (default none;"
            + " dynamic draws afresh each step, as MNIST trains)"))
        .addOption(Args.flag("inline-batches", "prepare each training batch on the training thread, not in the"
            + " background while the step before runs (to measure what the background thread saves)"))
        .addOption(Args.value("json", "FILE", "also write the figures as JSON"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    ImageShape image = parseShape(line.getOptionValue("image", "28x28x1"));
    VaeSpec spec;
    try {
      int latent = Args.integer(line, "latent-dim", 32, 1, VaeSpec.MAX_LATENT);
      boolean mlp = Args.choice(line, "architecture", Architecture.CONV, Architecture::parse) == Architecture.MLP;
      Args.onlyWith(line, "hidden", mlp, "with --architecture mlp");
      var stack = TrainOptions.convStack(line, image, !mlp);
      spec = mlp ? VaeSpec.mlp(image, latent, Args.integers(line, "hidden", VaeSpec.DEFAULT_HIDDEN, 1,
          VaeSpec.MAX_HIDDEN)) : VaeSpec.conv(image, latent).withConvStack(stack);
    } catch (org.vae4j.VaeException e) {
      throw new UsageException(Flags.show(e));
    }
    int threads = Args.integer(line, "threads", 0, 0, 1024);
    org.vae4j.internal.tf.Sessions.Resolved device = org.vae4j.internal.tf.Sessions.resolve(Args.parseDevice(line), threads);
    Benchmarks.Setup setup = new Benchmarks.Setup(spec, Args.integer(line, "batch-size", 128, 2, 65_536), 5,
        Args.integer(line, "steps", 30, 1, 100_000), Args.integer(line, "matmul-size", 2048, 64, 16_384),
        Args.positive(line, "seconds", 2f), device, Args.integer(line, "profile", 0, 0, 10_000),
        Args.choice(line, "binarize", org.vae4j.data.Binarization.NONE, org.vae4j.data.Binarization::parse),
        !line.hasOption("inline-batches"));
    Machine machine = Machine.here();
    io.err().println("benchmarking the " + spec + " on " + image + " images, on " + device.label() + " (" + Runtime.getRuntime().availableProcessors()
        + " cores)...");
    Benchmarks.Results results = Benchmarks.run(setup);
    Map<String, Double> r = results.figures();
    io.out().printf("machine                        %s%n", machine.describe());
    io.out().printf("device                         %s; TensorFlow threads: %s%n", device.label(),
        threads == 0 ? "default (intra-op and inter-op = " + machine.cores() + ")" : threads + " intra-op, "
            + threads + " inter-op");
    io.out().printf("matmul %dx%d float32         %8.1f GFLOP/s%n", setup.matmulSize(), setup.matmulSize(),
        r.get("matmul_gflops"));
    io.out().printf("model                          %s: %,.0f parameters, export %.1f MB%n", spec,
        r.get("parameters"), r.get("export_bytes") / 1e6);
    io.out().printf("training, batch %-4d          %8.0f images/s  (%.1f ms/step)%n", setup.batchSize(),
        r.get("train_images_per_second"), r.get("train_step_ms"));
    io.out().printf("training FLOP rate            %8.1f GFLOP/s = %.0f%% of the matmul rate"
        + " (3 x %.1f MFLOP forward per image)%n", r.get("train_gflops"), 100 * r.get("train_fraction_of_matmul"),
        r.get("forward_mflop_per_image"));
    for (String kind : new String[] {"encode", "reconstruct"}) {
      for (int n : new int[] {1, 256}) {
        io.out().printf("%-11s batch %-4d          %8.0f images/s%n", kind, n,
            r.get(kind + "_images_per_second_batch" + n));
      }
    }
    if (results.serving() != null) {
      io.out().printf(java.util.Locale.ROOT, "encode batch 1, median        %8.2f ms through Vae, %.2f ms raw signature"
          + " call (Vae / raw = %.2f)%n", results.serving().vaeMedianMillis(), results.serving().rawMedianMillis(),
          results.serving().ratio());
      io.out().printf(java.util.Locale.ROOT, "model load                    %8.0f ms Vae.load, %.0f ms"
          + " SavedModelBundle.load%n", results.serving().vaeLoadMillis(), results.serving().rawLoadMillis());
    }
    io.out().printf("peak resident memory           %8.0f MB (this process, VmHWM)%n", r.get("peak_rss_bytes") / 1e6);
    if (results.profile() != null) {
      printProfile(io, results.profile());
    }
    Path json = Args.path(line, "json");
    if (json != null) {
      Map<String, Object> all = new java.util.LinkedHashMap<>();
      all.put("machine", machine.describe());
      all.put("threads", threads);
      all.putAll(r);
      if (results.profile() != null) {
        all.put("profile_wall_ms_per_step", results.profile().wallMillisPerStep());
        all.put("profile", results.profile().ops().stream().map(o -> Map.of("op", o.type(), "ms_per_step",
            o.millisPerStep(), "ops_per_step", o.opsPerStep())).toList());
      }
      Files2.writeAtomically(json, (Json.write(all) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return Main.OK;
  }

  /** The top ops of a traced training step: time per step, share of the summed op time, count. */
  private static void printProfile(Io io, org.vae4j.internal.train.StepProfiler.Profile p) {
    double total = p.opMillisPerStep();
    io.out().printf(java.util.Locale.ROOT, "%nprofile of %d traced training steps: %.1f ms wall per step, %.1f ms of op"
        + " time per step (ops overlap on the inter-op threads)%n", p.steps(), p.wallMillisPerStep(), total);
    io.out().println("  op                                 ms/step   share   ops/step");
    p.ops().stream().limit(20).forEach(o -> io.out().printf(java.util.Locale.ROOT, "  %-34s %8.2f  %5.1f%%  %8.1f%n",
        o.type(), o.millisPerStep(), 100 * o.millisPerStep() / total, o.opsPerStep()));
  }

  static ImageShape parseShape(String text) {
    String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
    if (parts.length != 3) {
      throw new UsageException("--image must look like 28x28x1 (height x width x channels), got '" + text + "'");
    }
    try {
      return new ImageShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new UsageException("--image must look like 28x28x1 (height x width x channels), got '" + text + "'");
    }
  }
}
