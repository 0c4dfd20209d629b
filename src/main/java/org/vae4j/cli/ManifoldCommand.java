package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.internal.viz.Manifold;
import org.vae4j.serve.Vae;

/** {@code vae manifold}: the decoder over a grid of latent codes on Normal quantiles. */
final class ManifoldCommand extends Command {
  ManifoldCommand() {
    super("manifold", "decode a grid of latent codes laid on Normal quantiles into a PNG (the learned manifold)",
        "--model DIR --png FILE [options]");
  }

  @Override
  Options options() {
    return Args.modelOptions()
        .addOption(Args.png())
        .addOption(Args.value("grid", "N", "cells per side (default 20); a 1-latent model gives a strip of N"))
        .addOption(Args.value("dims", "I,J", "the two latent dimensions to vary, the others at 0 (default 0,1)"))
        .addOption(Args.value("label", "N", "a label-conditioned model: decode every code under class N (its"
            + " style space); required for such a model"))
        .addOption(Args.scale());
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path png = Args.requiredPath(line, "png");
    int n = Args.integer(line, "grid", 20, 1, 200);
    int[] dims = Args.integers(line, "dims", new int[] {0, 1}, 0, Integer.MAX_VALUE);
    if (dims.length != 2) {
      throw new UsageException("--dims needs two latent dimensions such as 0,1");
    }
    int scale = Args.integer(line, "scale", 2, 1, 64);
    try (Vae vae = Args.loadModel(line)) {
      TestImages.refusePartial(vae, "manifold");
      int z = vae.latentDim();
      if (z > 1 && (dims[0] >= z || dims[1] >= z || dims[0] == dims[1])) {
        throw new UsageException("--dims must name two different latent dimensions below " + z + ", got "
            + dims[0] + "," + dims[1]);
      }
      Integer label = TestImages.decodeLabel(line, vae, -1, "pass --label N to draw the manifold of class N");
      float[][] codes = Manifold.codes(z, n, dims[0], dims[1]);
      float[][] images = vae.decode(codes, TestImages.repeat(label, codes.length));
      int[] s = vae.imageShape();
      ImageGrid.writePng(new ImageGrid(s[0], s[1], s[2], scale, 0).render(images, n), png);
      io.out().println("wrote a " + (z == 1 ? "strip of " + n : n + "x" + n + " grid of") + " decoded codes"
          + (z > 2 ? " over latent dimensions " + dims[0] + " and " + dims[1] + " (others at 0)" : "") + " to "
          + png);
    }
    return Main.OK;
  }
}
