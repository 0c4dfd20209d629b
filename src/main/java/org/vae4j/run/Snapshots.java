package org.vae4j.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.vae4j.VaeException;
import org.vae4j.contract.Given;
import org.vae4j.internal.train.RunLog;
import org.vae4j.internal.train.TrainingSession;
import org.vae4j.internal.viz.AnimatedGif;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.VaeSpec;

/**
 * The per-epoch sample grid of a run: decodings of the same 64 codes every epoch, logged as a TensorBoard image, and
 * with snapshots on, kept as {@code snapshots/epoch-NNN.png} and gathered into {@code snapshots.gif} at the end.
 */
final class Snapshots {
  static final int COUNT = 64;

  private final RunFolder folder;
  private final boolean keep;
  private final float[][] codes;
  /** One label per code for a conditional model (a row per class), null otherwise. */
  /**
   * What each code is decoded under: a row of 8 codes per class, or for a partial-input model per test image (its
   * observed input, with a random-mask model's mask drawn from the seed); nothing for other models.
   */
  private final Given given;
  private final ImageGrid grid;
  private final List<BufferedImage> frames = new ArrayList<>();

  Snapshots(RunFolder folder, VaeSpec spec, long seed, boolean keep, org.vae4j.data.ImageSet test) {
    this.folder = folder;
    this.keep = keep;
    int[] labels = spec.labelled() ? ImageGrid.rowPerClass(Math.min(RunPictures.CLASS_ROWS, spec.classes()), 8)
        : null;
    this.codes = fixedCodes(labels == null ? COUNT : labels.length, spec.latentDim(), seed);
    float[][] partials = spec.partial() ? rowPerImage(test, codes.length / 8) : null;
    boolean[][] masks = spec.masked() ? rowPerImage(spec.observe().masks(0, codes.length / 8,
        spec.image().height(), spec.image().width(), spec.image().channels(), seed)) : null;
    this.given = labels != null ? Given.labels(labels) : partials == null ? Given.NONE
        : Given.observed(partials, masks);
    this.grid = new ImageGrid(spec.image().height(), spec.image().width(), spec.image().channels(), 2, 1);
  }

  /** The first {@code rows} test images (repeated when there are fewer), each 8 times: a grid row per image. */
  private static float[][] rowPerImage(org.vae4j.data.ImageSet test, int rows) {
    float[][] out = new float[rows * 8][];
    for (int i = 0; i < out.length; i++) {
      out[i] = test.images((i / 8) % test.count(), 1)[0];
    }
    return out;
  }

  /** Each of {@code masks} 8 times, as {@link #rowPerImage} repeats the images. */
  private static boolean[][] rowPerImage(boolean[][] masks) {
    boolean[][] out = new boolean[masks.length * 8][];
    for (int i = 0; i < out.length; i++) {
      out[i] = masks[i / 8];
    }
    return out;
  }

  /** The same codes from N(0, I) every epoch, so snapshots show one set of samples changing. */
  static float[][] fixedCodes(int count, int latentDim, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x736e6170L);
    float[][] out = new float[count][latentDim];
    for (float[] code : out) {
      for (int j = 0; j < latentDim; j++) {
        code[j] = (float) random.nextGaussian();
      }
    }
    return out;
  }

  void epochDone(TrainingSession session, RunLog log, EpochStats s) {
    try {
      BufferedImage samples = grid.render(session.decode(codes, given), 8);
      log.image(session.step(), "samples", ImageGrid.png(samples), samples.getHeight(), samples.getWidth());
      if (keep) {
        ImageGrid.writePng(samples, folder.snapshots().resolve(String.format("epoch-%03d.png", s.epoch())));
        frames.add(samples);
      }
    } catch (IOException e) {
      throw new VaeException("cannot write the epoch's pictures: " + e.getMessage(), e);
    }
  }

  /** The animated GIF of every snapshot in the run folder (a resumed run's earlier epochs included). */
  void finish() throws IOException {
    if (!keep) {
      return;
    }
    Path dir = folder.snapshots();
    List<BufferedImage> all = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.getFileName().toString().matches("epoch-\\d+\\.png")).sorted().toList()) {
          BufferedImage frame = javax.imageio.ImageIO.read(p.toFile());
          if (frame != null) { // an unreadable leftover is left out of the animation
            all.add(frame);
          }
        }
      }
    }
    if (!all.isEmpty() || !frames.isEmpty()) {
      AnimatedGif.write(all.isEmpty() ? frames : all, 500, folder.snapshotsGif());
    }
  }
}
