package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.serve.Vae;

/** {@code vae reconstruct}: test images and their reconstructions side by side. */
final class ReconstructCommand extends Command {
  ReconstructCommand() {
    super("reconstruct", "write test images and their reconstructions side by side into a PNG",
        "--model DIR --png FILE [options]");
  }

  @Override
  Options options() {
    return TestImages.options()
        .addOption(Args.png())
        .addOption(Args.value("count", "N", "number of test images (default 32)"))
        .addOption(Args.value("first", "N", "index of the first test image (default 0)"))
        .addOption(Args.value("columns", "N", "image pairs per row (default 8)"))
        .addOption(Args.scale());
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path png = Args.requiredPath(line, "png");
    int count = Args.integer(line, "count", 32, 1, 10_000);
    int first = Args.integer(line, "first", 0, 0, Integer.MAX_VALUE);
    int columns = Args.integer(line, "columns", 8, 1, 10_000);
    int scale = Args.integer(line, "scale", 2, 1, 64);
    try (Vae vae = Args.loadModel(line)) {
      ImageSet test = TestImages.of(line, io, vae, 0).images();
      int[] s = vae.imageShape();
      if (first >= test.count()) {
        throw new UsageException("--first " + first + " is past the last of " + test.count() + " test images");
      }
      float[][] originals = test.images(first, Math.min(count, test.count() - first));
      float[][] reconstructions = vae.reconstruct(originals, TestImages.given(vae, test, first,
          originals.length));
      ImageGrid.writePng(new ImageGrid(s[0], s[1], s[2], scale, 1)
          .renderPairs(originals, reconstructions, columns), png);
      io.out().println("wrote " + originals.length + " test images and their reconstructions to " + png);
    }
    return Main.OK;
  }
}
