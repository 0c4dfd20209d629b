package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.serve.Vae;
import org.vae4j.viz.ImageGrid;

/** {@code vae sample}: a PNG grid of images drawn from a SavedModel's prior. */
final class SampleCommand extends Command {
  SampleCommand() {
    super("sample", "draw images from a SavedModel's prior into a PNG grid",
        "--model DIR --png FILE [options]");
  }

  @Override
  Options options() {
    return Args.modelOptions()
        .addOption(Args.png())
        .addOption(Args.value("count", "N", "number of samples (default 64)"))
        .addOption(Args.value("seed", "N", "seed of the latent codes; the same seed gives the same images"
            + " (default 0)"))
        .addOption(Args.value("columns", "N", "images per row (default: a square grid)"))
        .addOption(Args.scale());
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path png = Args.requiredPath(line, "png");
    int count = Args.integer(line, "count", 64, 1, Vae.MAX_SAMPLES);
    long seed = Args.longValue(line, "seed", 0);
    int columns = Args.integer(line, "columns", ImageGrid.columnsFor(count), 1, 10_000);
    int scale = Args.integer(line, "scale", 2, 1, 64);
    try (Vae vae = Args.loadModel(line)) {
      int[] s = vae.imageShape();
      float[][] images = vae.sample(count, seed).images();
      ImageGrid.writePng(new ImageGrid(s[0], s[1], s[2], scale, 1).render(images, columns), png);
    }
    io.out().println("wrote " + count + " samples to " + png);
    return Main.OK;
  }
}
