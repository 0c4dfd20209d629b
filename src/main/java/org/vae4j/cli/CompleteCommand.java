package org.vae4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.contract.Given;
import org.vae4j.contract.Observation;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.internal.viz.ObservedPixels;
import org.vae4j.serve.Vae;

/**
 * {@code vae complete}: the experiment of the tutorial's Figure 8. Each row is one test image: its observed input
 * X (unobserved pixels gray), the regressor's prediction when {@code --regressor} names one, the CVAE's
 * completions, and the whole image Y.
 */
final class CompleteCommand extends Command {
  CompleteCommand() {
    super("complete", "complete test images from their observed part with a --conditioning partial model, beside"
        + " a regressor's prediction: a row per image (observed | regressor | completions | original)",
        "--model DIR --png FILE [--regressor DIR] [options]");
  }

  @Override
  Options options() {
    return TestImages.options()
        .addOption(Args.png())
        .addOption(Args.value("regressor", "DIR", "a model trained with --regressor on the same observed pixels,"
            + " whose prediction is drawn after the observed input"))
        .addOption(Args.value("count", "N", "number of test images, one per row (default 16)"))
        .addOption(Args.value("first", "N", "index of the first test image (default 0)"))
        .addOption(Args.value("samples", "N", "completions per image (default 8)"))
        .addOption(Args.value("seed", "N", "seed of the codes drawn and of random masks (default 0)"))
        .addOption(TestImages.maskOption(""))
        .addOption(Args.scale());
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path png = Args.requiredPath(line, "png");
    int count = Args.integer(line, "count", 16, 1, 1_000);
    int first = Args.integer(line, "first", 0, 0, Integer.MAX_VALUE);
    int samples = Args.integer(line, "samples", 8, 1, 100);
    long seed = Args.longValue(line, "seed", 0L);
    int scale = Args.integer(line, "scale", 2, 1, 64);
    try (Vae vae = Args.loadModel(line);
        Vae regressor = line.hasOption("regressor") ? Args.loadModel(line, "regressor") : null) {
      Observation o = observation(vae, vae.path() + " (--model)");
      if (regressor != null && observation(regressor, regressor.path() + " (--regressor)") != o) {
        throw new UsageException(regressor.path() + " observes the " + regressor.conditioning().observe().label()
            + " but " + vae.path() + " the " + o.label() + "; compare models given the same pixels");
      }
      if (regressor != null && !java.util.Arrays.equals(regressor.imageShape(), vae.imageShape())) {
        throw new UsageException("the regressor's images are not the model's shape");
      }
      ImageSet test = TestImages.of(line, io, vae, 0).images();
      if (first >= test.count()) {
        throw new UsageException("--first " + first + " is past the last of " + test.count() + " test images");
      }
      float[][] originals = test.images(first, Math.min(count, test.count() - first));
      int[] s = vae.imageShape();
      Observation shown = TestImages.masks(line, vae);
      // image i's random mask depends on the seed and its index in the test set alone
      boolean[][] masks = shown.masks(first, originals.length, s[0], s[1], s[2], seed);
      // a model of fixed observations takes no masks; a random-mask one those shown
      Given given = o.fixed() ? Given.observed(originals) : Given.observed(originals, masks);
      float[][][] completions = vae.complete(given, samples, seed);
      float[][][] predictions = regressor == null ? null : regressor.complete(given, 1, seed);
      List<float[]> cells = new ArrayList<>();
      for (int i = 0; i < originals.length; i++) {
        cells.add(ObservedPixels.shown(originals[i], masks[i]));
        if (predictions != null) {
          cells.add(predictions[i][0]);
        }
        cells.addAll(List.of(completions[i]));
        cells.add(originals[i]);
      }
      int columns = samples + 2 + (predictions == null ? 0 : 1);
      ImageGrid.writePng(new ImageGrid(s[0], s[1], s[2], scale, 1).render(cells.toArray(new float[0][]), columns),
          png);
      io.out().println("wrote " + originals.length + " test images to " + png + ", a row each: the observed "
          + (shown == Observation.RANDOM_MASK ? "pixels (random masks, seed " + seed + ")" : shown.label())
          + (predictions == null ? "" : ", the regressor's prediction") + ", " + samples
          + " completions, the original");
    }
    return Main.OK;
  }

  /** The pixels {@code vae} observes; a usage error for a model that does not complete images. */
  private static Observation observation(Vae vae, String what) {
    if (!vae.conditioning().partial()) {
      throw new UsageException(what + " does not complete images: train one with --conditioning partial");
    }
    return vae.conditioning().observe();
  }
}
