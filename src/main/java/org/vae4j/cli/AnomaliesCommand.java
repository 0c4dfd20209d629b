package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.data.ImageFolders;
import org.vae4j.data.ImageSet;
import org.vae4j.eval.Roc;
import org.vae4j.eval.TestReport;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.viz.ImageGrid;
import org.vae4j.serve.Vae;

/**
 * {@code vae anomalies}: how well a model's score (-ELBO, or -log p(x) with importance samples) tells the pictures
 * of a folder's {@code anomalous/} subfolder from those of its {@code normal/} one: ROC AUC, the threshold at a
 * chosen false-positive rate, and the worst-scored pictures beside their reconstructions.
 */
final class AnomaliesCommand extends Command {
  static final String NORMAL = "normal";
  static final String ANOMALOUS = "anomalous";

  AnomaliesCommand() {
    super("anomalies", "ROC AUC and a threshold of the model's -ELBO between a folder's normal/ and anomalous/"
        + " pictures", "--model DIR --data FOLDER [options]");
  }

  @Override
  Options options() {
    Options options = Args.modelOptions()
        .addOption(Args.value("data", "FOLDER", "pictures in normal/ and anomalous/ subfolders (or in test/normal/"
            + " and test/anomalous/ beside a train/ folder: then only test/ is scored)"))
        .addOption(Args.value("fpr", "X", "the share of normal pictures the threshold may flag (default 0.05)"))
        .addOption(Args.value("importance-samples", "K", "score by -log p(x) with K importance samples instead of"
            + " -ELBO (default 0: -ELBO from 8 samples per picture)"))
        .addOption(Args.value("seed", "N", "seed of the samples (default 0)"))
        .addOption(Args.value("scores", "FILE", "also write one CSV row per picture: group, index, score, flagged"))
        .addOption(Args.value("png", "FILE", "also draw the worst-scored pictures beside their reconstructions"))
        .addOption(Args.value("worst", "N", "pictures in --png (default 16)"))
        .addOption(Args.flag("strict", "abort on the first picture that cannot be decoded"));
    DataOptions.addCacheTo(options);
    return options;
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path folder = Args.requiredPath(line, "data");
    double fpr = Args.decimal(line, "fpr", 0.05);
    if (!(fpr >= 0 && fpr < 1)) {
      throw new UsageException("--fpr must lie in [0, 1), got " + fpr);
    }
    int samples = Args.integer(line, "importance-samples", 0, 0, Vae.MAX_IMPORTANCE_SAMPLES);
    long seed = Args.longValue(line, "seed", 0);
    int worst = Args.integer(line, "worst", 16, 1, 1000);
    try (Vae vae = Args.loadModel(line)) {
      if (vae.conditioning().labelled() || vae.conditioning().masked()) {
        throw new UsageException("anomalies scores models that read nothing but the picture; " + vae.path()
            + " is given " + (vae.conditioning().labelled() ? "a label" : "a mask") + " with each");
      }
      if (samples > 0 && !vae.hasLikelihood()) {
        throw new UsageException("--importance-samples needs a likelihood; " + vae.path() + " was trained with mse");
      }
      ImageFolders.Result pictures = DataOptions.pictures(folder, line, io, vae.imageShape());
      int normal = pictures.labelNames().indexOf(NORMAL);
      int anomalous = pictures.labelNames().indexOf(ANOMALOUS);
      if (normal < 0 || anomalous < 0) {
        throw new UsageException(folder + " needs " + NORMAL + "/ and " + ANOMALOUS + "/ subfolders of pictures;"
            + " its subfolders are " + pictures.labelNames());
      }
      boolean split = Files.isDirectory(folder.resolve("train")) && Files.isDirectory(folder.resolve("test"));
      List<ImageSet> sets = split ? List.of(pictures.dataset().test())
          : List.of(pictures.dataset().train(), pictures.dataset().test());
      List<Scored> scored = new ArrayList<>();
      int picture = 0;
      for (ImageSet set : sets) {
        TestReport r = TestReport.of(vae, set, folder.toString(), samples, 0, seed, null);
        for (TestReport.ImageScore s : r.perImage()) {
          double score = samples > 0 ? -s.logLikelihood() : -s.elbo();
          scored.add(new Scored(set.label(s.index()) == anomalous, score, set, s.index(), picture++));
        }
      }
      scored.removeIf(s -> !s.anomalous() && s.set().label(s.index()) != normal);
      Roc roc = Roc.of(scored.stream().filter(s -> !s.anomalous()).mapToDouble(Scored::score).toArray(),
          scored.stream().filter(Scored::anomalous).mapToDouble(Scored::score).toArray(), fpr);
      String unit = samples > 0 ? "-log p(x) (K = " + samples + ")" : vae.hasLikelihood() ? "-ELBO" : "loss";
      io.out().printf(Locale.ROOT, "scored:     %d normal and %d anomalous pictures of %s by %s, nats%n",
          roc.normal(), roc.anomalous(), split ? folder.resolve("test") : folder, unit);
      io.out().printf(Locale.ROOT, "ROC AUC:    %.4f (the probability that an anomalous picture scores above a"
          + " normal one)%n", roc.auc());
      io.out().printf(Locale.ROOT, "threshold:  %.2f flags %.1f%% of the normal pictures (--fpr %s) and %.1f%% of"
          + " the anomalous ones%n", roc.threshold(), 100 * roc.falsePositiveRate(), fpr, 100 * roc.truePositiveRate());
      Path csv = Args.path(line, "scores");
      if (csv != null) {
        StringBuilder b = new StringBuilder("picture,group,score,flagged\n");
        for (Scored s : scored) {
          b.append(String.format(Locale.ROOT, "%d,%s,%.4f,%b%n", s.picture(), s.anomalous() ? ANOMALOUS : NORMAL,
              s.score(), s.score() > roc.threshold()));
        }
        Files2.writeAtomically(csv, b.toString().getBytes(StandardCharsets.UTF_8));
        io.out().println("scores:     " + csv);
      }
      Path png = Args.path(line, "png");
      if (png != null) {
        List<Scored> top = scored.stream().sorted(Comparator.comparingDouble(Scored::score).reversed())
            .limit(worst).toList();
        float[][] originals = top.stream().map(s -> s.set().images(s.index(), 1)[0]).toArray(float[][]::new);
        int[] shape = vae.imageShape();
        ImageGrid.writePng(new ImageGrid(shape[0], shape[1], shape[2], 2, 1).renderPairs(originals,
            vae.reconstruct(originals), 4), png);
        io.out().println("worst:      " + png + " (the " + top.size() + " highest scores, "
            + IntStream.range(0, top.size()).filter(i -> top.get(i).anomalous()).count()
            + " of them anomalous, beside their reconstructions)");
      }
    }
    return Main.OK;
  }

  /**
   * One picture's score; {@code picture} numbers the scored pictures in the order the folder's reader gives them
   * (the training part of the folder's split first, when both parts are scored).
   */
  private record Scored(boolean anomalous, double score, ImageSet set, int index, int picture) {}
}
