package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.classify.Classifier;
import org.vae4j.classify.Confusion;
import org.vae4j.contract.Given;
import org.vae4j.data.Dataset;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.serve.Vae;

/**
 * {@code vae classify-check}: are a label-conditioned model's samples of the class asked for? Trains a small
 * classifier on the data set's training images, reports its test accuracy, then classifies N samples per class
 * and prints the confusion matrix.
 */
final class ClassifyCheckCommand extends Command {
  ClassifyCheckCommand() {
    super("classify-check", "classify a label-conditioned model's samples with a classifier trained on the data:"
        + " how many are of the class asked for", "--model DIR [options]");
  }

  @Override
  Options options() {
    Options options = Args.modelOptions()
        .addOption(Args.value("per-class", "N", "samples drawn per class (default 100)"))
        .addOption(Args.value("epochs", "N", "classifier training epochs (default 3)"))
        .addOption(Args.value("seed", "N", "seed of the samples and of the classifier (default 0)"))
        .addOption(Args.value("markdown", "FILE", "also write the confusion matrix as a Markdown table"));
    DataOptions.addTo(options);
    return options;
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    int perClass = Args.integer(line, "per-class", 100, 1, 10_000);
    int epochs = Args.integer(line, "epochs", 3, 1, 1000);
    long seed = Args.longValue(line, "seed", 0);
    Path markdown = Args.path(line, "markdown");
    try (Vae vae = Args.loadModel(line)) {
      if (!vae.conditioning().labelled()) {
        throw new UsageException(vae.path() + " is not conditioned on a label: classify-check needs a model"
            + " trained with --conditioning label");
      }
      if ((long) perClass * vae.conditioning().classes() > Vae.MAX_SAMPLES) {
        throw new UsageException("--per-class " + perClass + " asks for more than " + Vae.MAX_SAMPLES
            + " samples of " + vae.conditioning().classes() + " classes");
      }
      int[] shape = vae.imageShape();
      Dataset data = DataOptions.load(line, io, shape);
      if (data.height() != shape[0] || data.width() != shape[1] || data.channels() != shape[2]) {
        throw new UsageException("the data's images are " + data.height() + "x" + data.width() + "x"
            + data.channels() + " but the model's are " + shape[0] + "x" + shape[1] + "x" + shape[2]);
      }
      if (data.train().classCount() != vae.conditioning().classes()) {
        throw new UsageException(data.name() + " has " + data.train().classCount() + " classes but the model "
            + vae.conditioning().classes());
      }
      io.err().println("training a classifier on " + data.name() + " (" + data.train().count() + " images, "
          + epochs + " epochs)");
      try (Classifier classifier = Classifier.train(data.train(), vae.conditioning().classes(), epochs, seed,
          (e, n, loss, s) -> io.err().printf(Locale.ROOT, "classifier epoch %d/%d  loss %.4f  %.1f s%n", e, n,
              loss, s))) {
        double accuracy = classifier.accuracy(data.test());
        int[] asked = ImageGrid.rowPerClass(vae.conditioning().classes(), perClass);
        int[] predicted = classifier.predict(vae.sample(Given.labels(asked), seed).images());
        Confusion confusion = Confusion.of(asked, predicted, vae.conditioning().classes());
        io.out().printf(Locale.ROOT, "classifier test accuracy: %.2f%% (%d %s test images)%n", 100 * accuracy,
            data.test().count(), data.name());
        io.out().printf(Locale.ROOT, "samples of the class asked for: %.1f%% (%d of %d; %d per class, seed %d)%n",
            100 * confusion.matchRate(), Math.round(confusion.matchRate() * confusion.total()), confusion.total(),
            perClass, seed);
        io.out().print(confusion.markdown());
        if (markdown != null) {
          String text = String.format(Locale.ROOT, "Model: %s. Classifier: %.2f%% on %d %s test images (%d epochs,"
              + " seed %d). Samples: %d per class, seed %d; %.1f%% classified as the class asked for.%n%n%s",
              vae.path(), 100 * accuracy, data.test().count(), data.name(), epochs, seed, perClass, seed,
              100 * confusion.matchRate(), confusion.markdown());
          Files2.writeAtomically(markdown, text.getBytes(StandardCharsets.UTF_8));
          io.out().println("wrote " + markdown);
        }
      }
    }
    return Main.OK;
  }
}
