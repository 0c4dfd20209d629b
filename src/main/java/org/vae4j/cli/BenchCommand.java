package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.bench.Benchmarks;
import org.vae4j.json.Json;
import org.vae4j.model.ImageShape;
import org.vae4j.model.VaeSpec;
import org.vae4j.tf.Device;
import org.vae4j.util.Files2;

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
        .addOption(Args.value("matmul-size", "N", "side of the reference matrix multiply (default 2048)"))
        .addOption(Args.value("seconds", "X", "least time per inference measurement (default 2)"))
        .addOption(Args.device())
        .addOption(Args.value("json", "FILE", "also write the figures as JSON"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    ImageShape image = parseShape(line.getOptionValue("image", "28x28x1"));
    VaeSpec spec = VaeSpec.conv(image, Args.integer(line, "latent-dim", 32, 1, VaeSpec.MAX_LATENT));
    org.vae4j.tf.Sessions.Resolved device = org.vae4j.tf.Sessions.resolve(Args.parseDevice(line));
    Benchmarks.Setup setup = new Benchmarks.Setup(spec, Args.integer(line, "batch-size", 128, 2, 65_536), 5,
        Args.integer(line, "steps", 30, 1, 100_000), Args.integer(line, "matmul-size", 2048, 64, 16_384),
        Args.positive(line, "seconds", 2f), device);
    io.err().println("benchmarking the " + spec.architecture().label() + " VAE on " + image + " images, z="
        + spec.latentDim() + ", on " + device.label() + " (" + Runtime.getRuntime().availableProcessors()
        + " cores)...");
    Map<String, Double> r = Benchmarks.run(setup);
    io.out().printf("device                         %s, %d cores%n", device.label(),
        Runtime.getRuntime().availableProcessors());
    io.out().printf("matmul %dx%d float32         %8.1f GFLOP/s%n", setup.matmulSize(), setup.matmulSize(),
        r.get("matmul_gflops"));
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
    Path json = Args.path(line, "json");
    if (json != null) {
      Files2.writeAtomically(json, (Json.write(r) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return Main.OK;
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
