package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.VaeException;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.Vae;
import org.vae4j.viz.ImageGrid;

/** {@code vae reconstruct}: test images and their reconstructions side by side. */
final class ReconstructCommand extends Command {
  ReconstructCommand() {
    super("reconstruct", "write test images and their reconstructions side by side into a PNG",
        "--model DIR --png FILE [options]");
  }

  @Override
  Options options() {
    return new Options()
        .addOption(Args.model())
        .addOption(Args.png())
        .addOption(Args.value("data", "DIR", "idx data folder whose test images to use (default: the model's training data folder if it still exists, else the built-in MNIST)"))
        .addOption(Args.value("count", "N", "number of test images (default 32)"))
        .addOption(Args.value("first", "N", "index of the first test image (default 0)"))
        .addOption(Args.value("columns", "N", "image pairs per row (default 8)"))
        .addOption(Args.scale());
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path model = Args.requiredPath(line, "model");
    Path png = Args.requiredPath(line, "png");
    int count = Args.integer(line, "count", 32, 1, 10_000);
    int first = Args.integer(line, "first", 0, 0, Integer.MAX_VALUE);
    int columns = Args.integer(line, "columns", 8, 1, 10_000);
    int scale = Args.integer(line, "scale", 2, 1, 64);
    Path dataDir = Args.path(line, "data");
    try (Vae vae = Vae.load(model)) {
      Dataset data = dataDir == null ? trainedOn(vae) : IdxDatasets.folder(dataDir);
      ImageSet test = data.test();
      int[] s = vae.imageShape();
      if (test.height() != s[0] || test.width() != s[1] || test.channels() != s[2]) {
        throw new VaeException("the model takes " + Arrays.toString(s) + " images but the test images of "
            + data.name() + " are [" + test.height() + ", " + test.width() + ", " + test.channels() + "]");
      }
      if (first >= test.count()) {
        throw new UsageException("--first " + first + " is past the last of " + test.count() + " test images");
      }
      float[][] originals = test.images(first, Math.min(count, test.count() - first));
      float[][] reconstructions = vae.reconstruct(originals);
      ImageGrid.writePng(new ImageGrid(s[0], s[1], s[2], scale, 1)
          .renderPairs(originals, reconstructions, columns), png);
      io.out().println("wrote " + originals.length + " test images and their reconstructions to " + png);
    }
    return Main.OK;
  }

  /** The data the model card names when it is a folder that still exists, else the built-in MNIST. */
  static Dataset trainedOn(Vae vae) {
    String name = vae.card().dataset();
    try {
      Path folder = Path.of(name);
      if (!name.equals("mnist") && Files.isDirectory(folder)) {
        return IdxDatasets.folder(folder);
      }
    } catch (java.nio.file.InvalidPathException e) {
      // not a folder name: fall back to the built-in data
    }
    return IdxDatasets.mnist();
  }
}
