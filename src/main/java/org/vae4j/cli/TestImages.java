package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.vae4j.VaeException;
import org.vae4j.data.Binarization;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.Vae;

/**
 * The test images a command judges a model on: {@code --data} or the folder the model was trained on (when it still
 * exists) or the built-in MNIST, binarized as the model was trained ({@code --binarize auto}) or as asked.
 *
 * @param images the test set, shape-checked against the model
 * @param description what the images are, for reports (data set and binarization)
 */
record TestImages(ImageSet images, String description) {

  static Option dataOption() {
    return Args.value("data", "DIR", "idx data folder whose test images to use (default: the folder the model was"
        + " trained on if it still exists, else the built-in MNIST)");
  }

  static Option binarizeOption() {
    return Args.value("binarize", "auto|none|static", "test pixels: as the model was trained (auto), gray levels"
        + " (none), or binarized once with the fixed test seed (static) (default auto)");
  }

  /** Resolves {@code --data} and {@code --binarize} for {@code vae}, limited to the first {@code limit} (0: all). */
  static TestImages of(CommandLine line, Vae vae, int limit) {
    Path dataDir = Args.path(line, "data");
    Dataset data = dataDir == null ? trainedOn(vae) : IdxDatasets.folder(dataDir);
    ImageSet test = data.test();
    int[] s = vae.imageShape();
    if (test.height() != s[0] || test.width() != s[1] || test.channels() != s[2]) {
      throw new VaeException("the model takes " + Arrays.toString(s) + " images but the test images of "
          + data.name() + " are [" + test.height() + ", " + test.width() + ", " + test.channels() + "]");
    }
    if (limit > 0) {
      test = test.first(limit);
    }
    String mode = line.getOptionValue("binarize", "auto");
    boolean binarize = switch (mode) {
      case "auto" -> !"none".equals(String.valueOf(vae.card().training().getOrDefault("binarize", "none")));
      case "none" -> false;
      case "static" -> true;
      default -> throw new UsageException("--binarize must be auto, none or static, got '" + mode + "'");
    };
    if (binarize) {
      test = Binarization.once(test, Binarization.TEST_SEED);
    }
    String what = data.name() + " test set, " + test.count() + " images, "
        + (binarize ? Binarization.STATIC.testData() : Binarization.NONE.testData());
    return new TestImages(test, what);
  }

  /** The data the model card names when it is a folder that still exists, else the built-in MNIST. */
  static Dataset trainedOn(Vae vae) {
    String name = vae.card().dataset();
    try {
      Path folder = Path.of(name);
      if (!name.equals("mnist") && Files.isDirectory(folder)) {
        return IdxDatasets.folder(folder);
      }
    } catch (InvalidPathException e) {
      // not a folder name: fall back to the built-in data
    }
    return IdxDatasets.mnist();
  }
}
