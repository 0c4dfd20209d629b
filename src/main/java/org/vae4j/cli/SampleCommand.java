package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.contract.Given;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.serve.Vae;

/**
 * {@code vae sample}: a PNG grid of images drawn from a SavedModel's prior; from a label-conditioned model, of
 * one class ({@code --label}) or a row per class.
 */
final class SampleCommand extends Command {
  SampleCommand() {
    super("sample", "draw images from a SavedModel's prior into a PNG grid",
        "--model DIR --png FILE [options]");
  }

  @Override
  Options options() {
    return Args.modelOptions()
        .addOption(Args.png())
        .addOption(Args.value("count", "N", "number of samples (default 64; a label-conditioned model without"
            + " --label: per class, default 10)"))
        .addOption(Args.value("label", "N", "a label-conditioned model: draw images of class N (default: a row of"
            + " --count images per class)"))
        .addOption(Args.value("seed", "N", "seed of the latent codes; the same seed gives the same images"
            + " (default 0)"))
        .addOption(Args.value("columns", "N", "images per row (default: a square grid)"))
        .addOption(Args.scale());
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path png = Args.requiredPath(line, "png");
    long seed = Args.longValue(line, "seed", 0);
    int scale = Args.integer(line, "scale", 2, 1, 64);
    try (Vae vae = Args.loadModel(line)) {
      TestImages.refusePartial(vae, "sample");
      int[] labels = labels(line, vae);
      int count = labels != null ? labels.length : Args.integer(line, "count", 64, 1, Vae.MAX_SAMPLES);
      int columns = Args.integer(line, "columns", labels != null && !line.hasOption("label")
          ? count / vae.conditioning().classes() : ImageGrid.columnsFor(count), 1, 10_000);
      int[] s = vae.imageShape();
      float[][] images = (labels != null ? vae.sample(Given.labels(labels), seed) : vae.sample(count, seed)).images();
      ImageGrid.writePng(new ImageGrid(s[0], s[1], s[2], scale, 1).render(images, columns), png);
      io.out().println("wrote " + count + " samples to " + png + (labels == null ? ""
          : line.hasOption("label") ? " (class " + labels[0] + ")" : " (a row per class)"));
    }
    return Main.OK;
  }

  /** The label of each image to draw from a conditional model; null for an unconditional one. */
  private static int[] labels(CommandLine line, Vae vae) {
    if (!vae.conditioning().labelled()) {
      Args.onlyWith(line, "label", false, "with a label-conditioned model; " + vae.path() + " takes no labels");
      return null;
    }
    if (line.hasOption("label")) {
      int label = Args.integer(line, "label", 0, 0, vae.conditioning().classes() - 1);
      int count = Args.integer(line, "count", 64, 1, Vae.MAX_SAMPLES);
      int[] labels = new int[count];
      java.util.Arrays.fill(labels, label);
      return labels;
    }
    int perClass = Args.integer(line, "count", 10, 1, Vae.MAX_SAMPLES / vae.conditioning().classes());
    return ImageGrid.rowPerClass(vae.conditioning().classes(), perClass);
  }
}
