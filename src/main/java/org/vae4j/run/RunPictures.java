package org.vae4j.run;

import java.io.IOException;
import java.nio.file.Path;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;
import org.vae4j.tf.Device;
import org.vae4j.tf.Sessions;
import org.vae4j.viz.ImageGrid;

/**
 * The pictures a finished run leaves, drawn through its export: 64 samples (a label-conditioned model: 8 per
 * class, one row per class, at most {@link #CLASS_ROWS} classes) and 32 test reconstructions.
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
      Vae.Samples samples = vae.conditional()
          ? vae.sample(ImageGrid.rowPerClass(Math.min(CLASS_ROWS, vae.classes()), 8), seed)
          : vae.sample(SAMPLES, seed);
      ImageGrid.writePng(grid.render(samples.images(), 8), folder.samplesPng());
      int n = Math.min(RECONSTRUCTIONS, test.count());
      float[][] originals = test.images(0, n);
      ImageGrid.writePng(grid.renderPairs(originals, vae.reconstruct(originals, labels(test, n, vae)), 8),
          folder.reconstructionsPng());
    }
  }

  /** The first {@code n} labels of {@code set} for a conditional model, null for an unconditional one. */
  static int[] labels(ImageSet set, int n, Vae vae) {
    if (!vae.conditional()) {
      return null;
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = set.label(i);
    }
    return out;
  }
}
