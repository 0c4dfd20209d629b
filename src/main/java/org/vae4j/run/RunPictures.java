package org.vae4j.run;

import java.io.IOException;
import java.nio.file.Path;
import org.vae4j.contract.Given;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.internal.viz.ObservedPixels;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;
import org.vae4j.spec.Device;

/**
 * The pictures a finished run leaves, drawn through its export: 64 samples (a label-conditioned model: 8 per
 * class, one row per class, at most {@link #CLASS_ROWS} classes; a partial-input model: 8 test images' observed
 * inputs, each with 7 completions) and 32 test reconstructions.
 */
final class RunPictures {
  static final int SAMPLES = 64;
  static final int RECONSTRUCTIONS = 32;
  static final int CLASS_ROWS = 16;

  private RunPictures() {}

  static void write(Path exported, RunFolder folder, ImageSet test, long seed, Sessions.Resolved device)
      throws IOException {
    VaeOptions options = VaeOptions.defaults().withDevice(device.gpu() ? Device.GPU : Device.CPU);
    try (Vae vae = Vae.load(exported, options)) {
      int[] shape = vae.imageShape();
      ImageGrid grid = new ImageGrid(shape[0], shape[1], shape[2], 2, 1);
      ImageGrid.writePng(grid.render(samples(vae, test, seed), 8), folder.samplesPng());
      int n = Math.min(RECONSTRUCTIONS, test.count());
      float[][] originals = test.images(0, n);
      ImageGrid.writePng(grid.renderPairs(originals, vae.reconstruct(originals, test.given(vae.conditioning(), 0,
          n, seed)), 8), folder.reconstructionsPng());
    }
  }

  /**
   * 64 images drawn from the model: from the prior; a row per class; or, for a partial-input model, a row per
   * test image: its observed input, then 7 completions.
   */
  private static float[][] samples(Vae vae, ImageSet test, long seed) {
    if (vae.conditioning().labelled()) {
      return vae.sample(Given.labels(ImageGrid.rowPerClass(Math.min(CLASS_ROWS, vae.conditioning().classes()), 8)),
          seed).images();
    }
    if (!vae.conditioning().partial()) {
      return vae.sample(SAMPLES, seed).images();
    }
    int rows = Math.min(8, test.count());
    float[][] inputs = test.images(0, rows);
    int[] shape = vae.imageShape();
    // what each input shows: a fixed observation's one mask, or a random-mask model's own (given to it too)
    boolean[][] shown = vae.conditioning().observe().masks(0, rows, shape[0], shape[1], shape[2], seed);
    boolean[][] masks = vae.conditioning().masks(0, rows, shape, seed);
    float[][][] completions = vae.complete(Given.observed(inputs, masks), 7, seed);
    float[][] out = new float[rows * 8][];
    for (int r = 0; r < rows; r++) {
      out[r * 8] = ObservedPixels.shown(inputs[r], shown[r]);
      System.arraycopy(completions[r], 0, out, r * 8 + 1, 7);
    }
    return out;
  }
}
