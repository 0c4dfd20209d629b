package org.vae4j.cli;

import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.VaeException;
import org.vae4j.contract.Given;
import org.vae4j.contract.Observation;
import org.vae4j.data.Binarization;
import org.vae4j.data.Dataset;
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

  /**
   * The options of every command that judges a model on test images: {@code --model}, {@code --trust},
   * {@code --binarize}, and the data options (by default the model's own training data).
   */
  static Options options() {
    Options options = Args.modelOptions().addOption(Args.value("binarize", "auto|none|static", "test pixels: as the"
        + " model was trained (auto), gray levels (none), or binarized once with the fixed test seed (static)"
        + " (default auto)"));
    DataOptions.addTo(options);
    return options;
  }

  /** Resolves {@code --data} and {@code --binarize} for {@code vae}, limited to the first {@code limit} (0: all). */
  static TestImages of(CommandLine line, Io io, Vae vae, int limit) {
    boolean given = line.hasOption("data") || line.hasOption("dataset");
    Dataset data = given ? DataOptions.load(line, io, vae.imageShape())
        : DataOptions.trainedOn(vae.card().dataset(), line, io, vae.imageShape());
    return of(data, line.getOptionValue("binarize", "auto"), vae, limit);
  }

  /** The test split of {@code data} for {@code vae}, binarized by {@code mode} (auto, none or static). */
  static TestImages of(Dataset data, String mode, Vae vae, int limit) {
    ImageSet test = data.test();
    int[] s = vae.imageShape();
    if (test.height() != s[0] || test.width() != s[1] || test.channels() != s[2]) {
      throw new VaeException("the model takes " + Arrays.toString(s) + " images but the test images of "
          + data.name() + " are [" + test.height() + ", " + test.width() + ", " + test.channels() + "]");
    }
    if (limit > 0) {
      test = test.first(limit);
    }
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

  /** The option naming the masks a random-mask model is given (vae complete, vae evaluate). */
  static org.apache.commons.cli.Option maskOption(String more) {
    return Args.value("mask", "NAME", "for a model trained with --observe random-mask: the pixels to observe of"
        + " each image, random (a mask drawn per image with the seed, as in training; default), middle-column,"
        + " left-half, top-half or center-square" + more);
  }

  /**
   * The masks {@code --mask} asks of a random-mask model: {@link Observation#RANDOM_MASK} (the default) or a
   * fixed observation; for a model of fixed observations its own, and a usage error when --mask is given.
   */
  static Observation masks(CommandLine line, Vae vae) {
    Observation own = vae.conditioning().observe();
    if (own == null || own.fixed()) {
      if (line.hasOption("mask")) {
        throw new UsageException("--mask is for models trained with --observe random-mask; " + vae.path()
            + (own == null ? " observes no pixels" : " always observes the " + own.label()));
      }
      return own;
    }
    String text = line.getOptionValue("mask", "random");
    String wanted = text.trim().toLowerCase(java.util.Locale.ROOT);
    for (Observation o : Observation.values()) {
      if (wanted.equals(o.label()) || !o.fixed() && wanted.equals("random")) {
        return o;
      }
    }
    throw new UsageException("--mask must be random, middle-column, left-half, top-half or center-square, got '"
        + text + "'");
  }

  /** Seed of the masks a random-mask model is given by the commands that have no --seed of their own. */
  static final long MASK_SEED = 0;

  /**
   * What {@code vae} is given with images {@code from} .. {@code from + n - 1} of {@code set}: each one's label,
   * or for a random-mask model its mask drawn with {@link #MASK_SEED}; nothing for other models.
   */
  static Given given(Vae vae, ImageSet set, int from, int n) {
    if (vae.conditioning().labelled() && !set.hasLabels()) {
      throw new UsageException(vae.path() + " is conditioned on a label, and these test images have none");
    }
    return set.given(vae.conditioning(), from, n, MASK_SEED);
  }

  /**
   * The class a command decodes under for a label-conditioned model: {@code --label}, or {@code fallback} when
   * it is not negative; null for an unconditional model (which takes no --label).
   */
  static Integer decodeLabel(CommandLine line, Vae vae, int fallback, String why) {
    if (!vae.conditioning().labelled()) {
      Args.onlyWith(line, "label", false, "with a label-conditioned model; " + vae.path() + " takes no labels");
      return null;
    }
    if (!line.hasOption("label") && fallback < 0) {
      throw new UsageException(vae.path() + " is conditioned on a label: " + why);
    }
    return line.hasOption("label") ? Args.integer(line, "label", 0, 0, vae.conditioning().classes() - 1) : fallback;
  }

  /** {@code n} rows of {@code label}, or nothing for none. */
  static Given repeat(Integer label, int n) {
    if (label == null) {
      return Given.NONE;
    }
    int[] out = new int[n];
    java.util.Arrays.fill(out, label);
    return Given.labels(out);
  }

  /**
   * Refuses {@code command} on a partial-input model, which draws nothing without an observed input: a usage
   * error pointing at vae complete.
   */
  static void refusePartial(Vae vae, String command) {
    if (vae.conditioning().partial()) {
      throw new UsageException(vae.path() + " completes images from their observed " + (vae.conditioning().masked()
          ? "pixels under a mask" : vae.conditioning().observe().label()) + ": it draws nothing without one, so vae "
          + command
          + " does not apply; use vae complete");
    }
  }
}
