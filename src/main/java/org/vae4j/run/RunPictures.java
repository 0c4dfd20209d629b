package org.vae4j.run;

import java.io.IOException;
import java.nio.file.Path;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;
import org.vae4j.tf.Device;
import org.vae4j.tf.Sessions;
import org.vae4j.viz.ImageGrid;

/** The pictures a finished run leaves, drawn through its export: 64 samples and 32 test reconstructions. */
final class RunPictures {
  static final int SAMPLES = 64;
  static final int RECONSTRUCTIONS = 32;

  private RunPictures() {}

  static void write(Path exported, RunFolder folder, ImageSet test, long seed, Sessions.Resolved device)
      throws IOException {
    VaeOptions options = VaeOptions.defaults().withDevice(device.gpu() ? Device.GPU : Device.CPU);
    try (Vae vae = Vae.load(exported, options)) {
      int[] shape = vae.imageShape();
      ImageGrid grid = new ImageGrid(shape[0], shape[1], shape[2], 2, 1);
      ImageGrid.writePng(grid.render(vae.sample(SAMPLES, seed).images(), 8), folder.samplesPng());
      float[][] originals = test.images(0, Math.min(RECONSTRUCTIONS, test.count()));
      ImageGrid.writePng(grid.renderPairs(originals, vae.reconstruct(originals), 8), folder.reconstructionsPng());
    }
  }
}
