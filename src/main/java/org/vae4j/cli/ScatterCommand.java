package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.data.ImageSet;
import org.vae4j.eval.Pca;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.internal.viz.ScatterPlot;
import org.vae4j.serve.Vae;

/** {@code vae scatter}: latent means of test images, colored by label. */
final class ScatterCommand extends Command {
  ScatterCommand() {
    super("scatter", "plot the latent means of test images colored by label (2 dimensions, or a PCA projection)",
        "--model DIR --png FILE [options]");
  }

  @Override
  Options options() {
    return TestImages.options()
        .addOption(Args.png())
        .addOption(Args.value("limit", "N", "plot the first N test images (default 5000)"))
        .addOption(Args.value("dims", "I,J", "latent dimensions on the axes (default 0,1)"))
        .addOption(Args.flag("pca", "plot the first two principal components of the means instead"))
        .addOption(Args.value("size", "PX", "plot size in pixels (default 800)"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path png = Args.requiredPath(line, "png");
    int limit = Args.integer(line, "limit", 5000, 1, Integer.MAX_VALUE);
    int size = Args.integer(line, "size", 800, 200, 4000);
    int[] dims = Args.integers(line, "dims", new int[] {0, 1}, 0, Integer.MAX_VALUE);
    if (dims.length != 2 || dims[0] == dims[1]) {
      throw new UsageException("--dims needs two different latent dimensions such as 0,1");
    }
    try (Vae vae = Args.loadModel(line)) {
      int z = vae.latentDim();
      if (z < 2) {
        throw new UsageException("a scatter plot needs at least 2 latent dimensions; this model has 1");
      }
      if (!line.hasOption("pca") && (dims[0] >= z || dims[1] >= z)) {
        throw new UsageException("--dims must name latent dimensions below " + z + ", got " + dims[0] + ","
            + dims[1]);
      }
      TestImages test = TestImages.of(line, io, vae, limit);
      ImageSet images = test.images();
      float[][] means = vae.encode(images.images(0, images.count()), TestImages.given(vae, images, 0,
          images.count())).mean();
      float[][] points;
      String xLabel;
      String yLabel;
      if (line.hasOption("pca")) {
        Pca pca = Pca.fit(means, 2);
        points = pca.project(means);
        xLabel = String.format(Locale.ROOT, "principal component 1 (%.0f%% of the variance)", 100 * pca.explained(0));
        yLabel = String.format(Locale.ROOT, "principal component 2 (%.0f%% of the variance)", 100 * pca.explained(1));
      } else {
        points = new float[means.length][2];
        for (int i = 0; i < means.length; i++) {
          points[i][0] = means[i][dims[0]];
          points[i][1] = means[i][dims[1]];
        }
        xLabel = "z" + dims[0] + " (latent mean)";
        yLabel = "z" + dims[1] + " (latent mean)";
      }
      int[] labels = new int[images.count()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = images.label(i);
      }
      String title = "latent means of " + images.count() + " test images, z = " + z;
      ImageGrid.writePng(ScatterPlot.render(points, labels, title, xLabel, yLabel, size), png);
      io.out().println("wrote a scatter plot of " + images.count() + " latent means to " + png);
    }
    return Main.OK;
  }
}
