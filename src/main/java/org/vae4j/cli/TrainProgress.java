package org.vae4j.cli;

import java.util.Locale;
import org.vae4j.run.RunListener;
import org.vae4j.run.RunPosition;
import org.vae4j.run.RunResult;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.LearningRateSchedule;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.TrainConfig;

/** What {@code vae train} prints while a run goes: the start line, a progress bar, one line per epoch, the end. */
final class TrainProgress implements RunListener {
  private final Io io;
  private final TrainConfig config;
  private final ProgressBar bar;
  private final int patience;
  private Likelihood likelihood = Likelihood.BERNOULLI;
  /** Bits per dimension per nat for a likelihood over 8-bit values, else 0. */
  private double bitsPerNat;
  private int batchesPerEpoch;

  TrainProgress(Io io, TrainConfig config, int patience) {
    this.io = io;
    this.config = config;
    this.patience = patience;
    this.bar = new ProgressBar(io.err(), io.terminal());
  }

  @Override
  public void started(Start s) {
    likelihood = s.spec().likelihood();
    bitsPerNat = s.spec().bitsPerDimPerNat();
    batchesPerEpoch = s.batchesPerEpoch();
    io.out().printf("vae4j: %s, %,d parameters; %s: %,d training%s / %,d test images of %s (test: %s); %s%n",
        s.spec(), s.parameters(), s.dataset(), s.trainingImages(), s.validationImages() == 0 ? ""
            : String.format(" + %,d validation", s.validationImages()), s.testImages(), s.spec().image(),
        s.testData(), s.device());
    if (s.resumedFrom() != null) {
      RunPosition at = s.resumedFrom();
      io.out().printf("resuming %s from %s: step %,d, epoch %d, batch %d of %d%n", s.folder(),
          at.checkpoint().getFileName(), at.steps(), at.epoch(), at.batchesDone(), s.batchesPerEpoch());
    }
  }

  @Override
  public void batchDone(int epoch, int batch, int batches, double loss, double seconds) {
    bar.update(String.format("epoch %d/%d", epoch, config.epochs()), batch, batches, seconds,
        String.format("loss %.2f", loss));
  }

  @Override
  public void epochDone(EpochStats s) {
    bar.clear();
    io.out().println(epochLine(s, config, likelihood) + (bitsPerNat > 0 ? String.format(Locale.ROOT,
        "  test %.4f bits/dim", -s.test().elbo() * bitsPerNat) : ""));
  }

  @Override
  public void skipped(long step, String why) {
    bar.clear();
    io.err().printf("vae: skipped a batch at step %,d: %s (--on-nan skip-batch)%n", step, why);
  }

  @Override
  public void validated(int epoch, double elbo, boolean best) {
    io.out().printf(Locale.ROOT, "           validation -ELBO %.2f%s%n", -elbo,
        best ? " (best so far: checkpoints/best)" : "");
  }

  @Override
  public void interrupted(RunPosition at) {
    bar.clear();
    io.out().printf("stopped at step %,d (epoch %d, batch %d of %d); checkpoint %s%n", at.steps(), at.epoch(),
        at.batchesDone(), batchesPerEpoch, at.checkpoint());
  }

  @Override
  public void earlyStopped(int bestEpoch) {
    bar.clear();
    io.out().printf("early stopping: the validation ELBO has not improved for %d epochs; exporting the best,"
        + " epoch %d%n", patience, bestEpoch);
  }

  @Override
  public void versionTaken(java.nio.file.Path taken, long used) {
    io.out().printf("%s exists already (exported before the run finished); this run's model is version %d%n",
        taken, used);
  }

  @Override
  public void finished(RunResult r) {
    bar.clear();
    String what = likelihood.isLikelihood() ? "test -ELBO" : "test loss (squared error + KL)";
    Double metric = r.card().metrics().get(likelihood.isLikelihood() ? "test_elbo" : "test_loss");
    int exportedEpoch = ((Number) r.card().training().get("exported_epoch")).intValue();
    io.out().printf("%s %.2f nats per image%s after %d epoch%s%n", what,
        likelihood.isLikelihood() ? -metric : metric, bitsPerNat > 0 ? String.format(Locale.ROOT, " (%.4f bits/dim)",
            -metric * bitsPerNat) : "", exportedEpoch, exportedEpoch == 1 ? "" : "s");
    io.out().println("SavedModel: " + r.savedModel());
    io.out().println("pictures:   " + r.folder().resolve("samples.png") + ", "
        + r.folder().resolve("reconstructions.png"));
  }

  void clear() {
    bar.clear();
  }

  /**
   * One line per epoch: the train and test objective with its two terms, the KL weight in force, the learning rate
   * when it changes, the number of latent dimensions in use, throughput and time.
   */
  static String epochLine(EpochStats s, TrainConfig config, Likelihood likelihood) {
    boolean elbo = likelihood.isLikelihood();
    String objective = elbo ? "-ELBO" : "loss";
    String term = elbo ? "rec" : "SE";
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "epoch %" + String.valueOf(config.epochs()).length() + "d/%d  train %s %7.2f (%s %7.2f, KL %6.2f)"
            + "  test %s %7.2f (%s %7.2f, KL %6.2f, %d active dims)  w %.3g",
        s.epoch(), config.epochs(), objective, -s.train().elbo(), term, -s.train().reconstructionLogLikelihood(),
        s.train().kl(), objective, -s.test().elbo(), term, -s.test().reconstructionLogLikelihood(), s.test().kl(),
        s.test().activeDimensions(), s.klWeight()));
    if (config.optimizer().schedule() != LearningRateSchedule.Kind.CONSTANT || config.optimizer().warmupSteps() > 0) {
      b.append(String.format(Locale.ROOT, "  lr %.3g", s.learningRate()));
    }
    b.append(String.format(Locale.ROOT, "  %,6.0f img/s  %5.1f s", s.imagesPerSecond(), s.seconds()));
    return b.toString();
  }

}
