package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.eval.EvaluationHistory;
import org.vae4j.eval.TestReport;
import org.vae4j.serve.Vae;

/**
 * {@code vae evaluate}: test ELBO and its terms, the importance-sampled log-likelihood, per-image scores; every
 * evaluation is kept in the model's history, and the card shows the most complete one.
 */
final class EvaluateCommand extends Command {
  static final int DEFAULT_IMPORTANCE_SAMPLES = 5000;

  EvaluateCommand() {
    super("evaluate", "test ELBO, importance-sampled log-likelihood (IWAE, K = 5000) and per-image scores of a model",
        "--model DIR [options]");
  }

  @Override
  Options options() {
    return TestImages.options()
        .addOption(Args.value("importance-samples", "K", "samples per image of the log-likelihood estimate"
            + " (default " + DEFAULT_IMPORTANCE_SAMPLES + ", the published protocol; 0 skips it)"))
        .addOption(Args.value("limit", "N", "evaluate the first N test images only (default: all)"))
        .addOption(Args.value("importance-limit", "N", "estimate the log-likelihood on the first N of them only"
            + " (default: all; K = 5000 costs 5000 decodings per image)"))
        .addOption(Args.value("seed", "N", "seed of the importance samples, and of a random-mask model's masks"
            + " (default 0)"))
        .addOption(Args.value("scores", "FILE", "also write one CSV row per image: index, label, ELBO,"
            + " reconstruction error, KL, log-likelihood"))
        .addOption(Args.value("checkpoint", "FILE", "keep the log-likelihood estimates made so far in FILE (saved at"
            + " least every minute); the same command run again goes on from them, with the figures one unbroken"
            + " run gives"))
        .addOption(Args.flag("replace", "show this evaluation on the model card even when an earlier one is more"
            + " complete (more test images, then larger K); without it a less complete one is only kept"))
        .addOption(Args.flag("no-update", "write nothing into the model folder: no history entry, card unchanged"))
        .addOption(TestImages.maskOption("; a fixed one is not the model's own protocol, so it implies"
            + " --no-update"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    int samples = Args.integer(line, "importance-samples", DEFAULT_IMPORTANCE_SAMPLES, 0,
        Vae.MAX_IMPORTANCE_SAMPLES);
    int limit = Args.integer(line, "limit", 0, 0, Integer.MAX_VALUE);
    int importanceLimit = Args.integer(line, "importance-limit", 0, 0, Integer.MAX_VALUE);
    long seed = Args.longValue(line, "seed", 0);
    Path scores = Args.path(line, "scores");
    Path checkpoint = Args.path(line, "checkpoint");
    if (checkpoint != null && samples == 0) {
      throw new UsageException("--checkpoint keeps importance-sampled estimates; with --importance-samples 0 there"
          + " are none");
    }
    try (Vae vae = Args.loadModel(line)) {
      org.vae4j.contract.Observation masks = TestImages.masks(line, vae);
      boolean ownProtocol = !vae.conditioning().masked() || !masks.fixed();
      TestImages test = TestImages.of(line, io, vae, limit);
      io.err().println("evaluating " + vae.path() + " on the " + test.description()
          + (samples > 0 && vae.hasLikelihood() ? ", " + samples + " importance samples per image" : ""));
      ProgressBar bar = new ProgressBar(io.err(), io.terminal()).resumable();
      long start = System.nanoTime();
      TestReport report;
      try {
        report = TestReport.of(vae, test.images(), test.description(), samples, importanceLimit, seed,
            (done, total) -> bar.update("log p(x)", done / samples, total / samples,
                (System.nanoTime() - start) / 1e9, "images"), masks, checkpoint);
      } finally {
        bar.clear();
      }
      io.out().println("test data:  " + test.description());
      if (vae.conditioning().labelled()) {
        io.out().println("condition:  each image's label (" + vae.conditioning().classes() + " classes): the ELBO bounds log p(x|label),"
            + " the NLL estimates -log p(x|label)");
      }
      if (vae.conditioning().partial()) {
        io.out().println("condition:  each image's observed " + (!vae.conditioning().masked()
            ? vae.conditioning().observe().label() : masks.fixed() ? masks.label() + " (given as every image's mask)"
            : "pixels under a random mask drawn with seed " + seed + " (as in training: scattered pixels or a"
            + " rectangle, observed or hidden)") + " X: "
            + (vae.conditioning().regressor() ? "a regressor, read as a Bernoulli model of the image Y; its ELBO"
            + " and NLL are both its exact -log p(Y|X)" : "the ELBO bounds log p(Y|X), the NLL estimates -log p(Y|X)"));
      }
      if (vae.hasLikelihood()) {
        io.out().printf(Locale.ROOT, "test -ELBO: %.2f nats per image (reconstruction %.2f + KL %.2f; %s)%n",
            -report.elbo(), -report.reconstruction(), report.kl(), report.elboEstimate());
        if (report.bitsPerDimPerNat() > 0) {
          io.out().printf(Locale.ROOT, "            %.4f bits per dimension (8-bit pixels, -ELBO / (H W C ln 2))%n",
              -report.elbo() * report.bitsPerDimPerNat());
        }
        if (report.importanceSamples() > 0) {
          io.out().printf(Locale.ROOT, "test NLL:   %.2f +- %.2f nats per image (importance sampling, K = %d, seed"
              + " %d, %d images; +- one standard error over images)%n", -report.logLikelihood(),
              report.logLikelihoodStdError(), report.importanceSamples(), seed, report.importanceImages());
          if (report.bitsPerDimPerNat() > 0) {
            io.out().printf(Locale.ROOT, "            %.4f bits per dimension%n",
                -report.logLikelihood() * report.bitsPerDimPerNat());
          }
        }
      } else {
        io.out().printf(Locale.ROOT, "test loss:  %.2f per image (squared error %.2f + KL %.2f); an mse model has"
            + " no likelihood%n", -report.elbo(), -report.reconstruction(), report.kl());
      }
      io.out().printf(Locale.ROOT, "time:       %.1f s%n", report.seconds());
      if (scores != null) {
        report.writeScores(scores);
        io.out().println("scores:     " + scores);
      }
      if (!ownProtocol) {
        io.out().println("model card: unchanged (figures under a fixed --mask are not the model's own protocol)");
      } else if (!line.hasOption("no-update")) {
        EvaluationHistory.Outcome kept = EvaluationHistory.record(vae.path(), vae.card(), report,
            line.hasOption("replace"));
        io.out().println("written:    " + kept.file());
        if (kept.cardUpdated()) {
          io.out().println("model card: shows this evaluation (" + kept.recorded().protocol() + ")");
        } else {
          io.out().println("model card: unchanged; it shows the more complete " + kept.shown().name() + " ("
              + kept.shown().protocol() + "); --replace shows this one instead");
        }
      }
    }
    return Main.OK;
  }
}
