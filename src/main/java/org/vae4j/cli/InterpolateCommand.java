package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.contract.Given;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.serve.Vae;

/** {@code vae interpolate}: decodings along the line between the latent means of two test images. */
final class InterpolateCommand extends Command {
  InterpolateCommand() {
    super("interpolate", "decode a row of codes along the line between the latent means of two test images",
        "--model DIR --png FILE [options]");
  }

  @Override
  Options options() {
    return TestImages.options()
        .addOption(Args.png())
        .addOption(Args.value("from", "I", "index of the first test image (default 0)"))
        .addOption(Args.value("to", "J", "index of the second test image (default 1)"))
        .addOption(Args.value("steps", "N", "decoded codes between and including both ends (default 10)"))
        .addOption(Args.value("label", "N", "a label-conditioned model: decode the path under class N (default:"
            + " the two images' label when they share one)"))
        .addOption(Args.scale());
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path png = Args.requiredPath(line, "png");
    int from = Args.integer(line, "from", 0, 0, Integer.MAX_VALUE);
    int to = Args.integer(line, "to", 1, 0, Integer.MAX_VALUE);
    int steps = Args.integer(line, "steps", 10, 2, 1000);
    int scale = Args.integer(line, "scale", 2, 1, 64);
    try (Vae vae = Args.loadModel(line)) {
      TestImages.refusePartial(vae, "interpolate");
      ImageSet test = TestImages.of(line, io, vae, 0).images();
      if (from >= test.count() || to >= test.count()) {
        throw new UsageException("--from and --to must be test image indexes below " + test.count());
      }
      float[][] ends = {test.images(from, 1)[0], test.images(to, 1)[0]};
      // a label-conditioned model reads each end with its own label (TestImages refuses a set without labels)
      Given given = TestImages.given(vae, test, 0, 0) instanceof Given.Labels
          ? Given.labels(test.label(from), test.label(to)) : Given.NONE;
      int[] endLabels = given instanceof Given.Labels l ? l.labels() : null;
      float[][] means = vae.encode(ends, given).mean();
      float[][] codes = new float[steps][vae.latentDim()];
      for (int k = 0; k < steps; k++) {
        float t = k / (float) (steps - 1);
        for (int j = 0; j < codes[k].length; j++) {
          codes[k][j] = (1 - t) * means[0][j] + t * means[1][j];
        }
      }
      // a label-conditioned model decodes the whole path under one class: the images' own when they share it
      Integer label = TestImages.decodeLabel(line, vae, endLabels != null && endLabels[0] == endLabels[1]
          ? endLabels[0] : -1, "test images " + from + " and " + to + " have different labels; pass --label N"
          + " to decode the path under class N");
      float[][] decoded = vae.decode(codes, TestImages.repeat(label, codes.length));
      float[][] row = new float[steps + 2][];
      row[0] = ends[0];
      System.arraycopy(decoded, 0, row, 1, steps);
      row[steps + 1] = ends[1];
      int[] s = vae.imageShape();
      ImageGrid.writePng(new ImageGrid(s[0], s[1], s[2], scale, 1).render(row, row.length), png);
      io.out().println("wrote test image " + from + ", " + steps + " decodings along the line to test image " + to
          + "'s code, and test image " + to + " to " + png);
    }
    return Main.OK;
  }
}
