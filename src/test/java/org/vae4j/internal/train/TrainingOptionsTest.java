package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.data.Binarization;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.spec.Architecture;
import org.vae4j.spec.Device;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.Evaluation;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.KlSchedule;
import org.vae4j.spec.LearningRateSchedule;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.ObjectiveConfig;
import org.vae4j.spec.OptimizerConfig;
import org.vae4j.spec.StddevParameterization;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** Every objective and optimizer option, through real training steps on small images. */
class TrainingOptionsTest {
  @TempDir
  static Path dir;

  private static Dataset data;

  @BeforeAll
  static void data() throws IOException {
    data = IdxDatasets.folder(Fixtures.idxFolder(dir.resolve("d"), 96, 32, 8, 8, false));
  }

  private static final ImageShape SHAPE = new ImageShape(8, 8, 1);

  /** Trains {@code config.epochs()} epochs of full batches; returns every step, and adds each epoch's test figures. */
  private static List<TrainingSession.StepResult> steps(VaeSpec spec, TrainConfig config, List<EpochStats> epochs) {
    List<TrainingSession.StepResult> out = new ArrayList<>();
    try (TrainingSession s = TrainingSession.create(spec, config, org.vae4j.internal.tf.Sessions.cpu())) {
      s.setStepsPerEpoch(data.train().count() / config.batchSize());
      int size = spec.image().size();
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        int[] order = org.vae4j.data.Shuffle.order(data.train().count(), config.seed(), epoch);
        float[] buffer = new float[config.batchSize() * size];
        for (int b = 0; b + config.batchSize() <= data.train().count(); b += config.batchSize()) {
          data.train().copyImages(order, b, config.batchSize(), buffer);
          out.add(s.trainStep(buffer, config.batchSize()));
        }
        epochs.add(new EpochStats(epoch, null, s.evaluate(data.test(), epoch), 0, 0, 0, 0));
      }
    }
    return out;
  }

  private static TrainConfig base() {
    return TrainConfig.defaults().withBatchSize(16).withEpochs(3).withSeed(9);
  }

  private static double meanLoss(List<TrainingSession.StepResult> r, int from, int to) {
    return r.subList(from, to).stream().mapToDouble(TrainingSession.StepResult::loss).average().orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void everyLikelihoodTrainsBothArchitectures(Likelihood likelihood) {
    for (Architecture a : Architecture.values()) {
      VaeSpec spec = new VaeSpec(SHAPE, 2, a, new int[] {32}, a.defaultStddev(), likelihood, 0.2f);
      List<EpochStats> epochs = new ArrayList<>();
      List<TrainingSession.StepResult> r = steps(spec, base(), epochs);
      assertTrue(meanLoss(r, r.size() - 3, r.size()) < meanLoss(r, 0, 3), a + " " + likelihood + " learns");
      Evaluation test = epochs.get(2).test();
      assertEquals(test.reconstructionLogLikelihood() - test.kl(), test.elbo(), 1e-9);
      assertEquals(2, test.klPerDimension().length);
    }
  }

  @Test
  void latentSizesOneAndTwoWorkWithEitherStddev() {
    for (int z : new int[] {1, 2}) {
      for (StddevParameterization sd : StddevParameterization.values()) {
        VaeSpec spec = VaeSpec.conv(SHAPE, z).withStddev(sd);
        List<EpochStats> epochs = new ArrayList<>();
        List<TrainingSession.StepResult> r = steps(spec, base(), epochs);
        assertTrue(Double.isFinite(r.get(r.size() - 1).loss()));
        assertEquals(z, epochs.get(0).test().klPerDimension().length);
      }
    }
  }

  @Test
  void theLossWeighsTheKlButEvaluationUsesWeightOne() {
    TrainConfig beta = base().withObjective(ObjectiveConfig.elbo().withKl(4f, KlSchedule.Anneal.NONE, 1));
    List<EpochStats> epochs = new ArrayList<>();
    for (TrainingSession.StepResult s : steps(VaeSpec.conv(SHAPE, 2), beta, epochs)) {
      assertEquals(4.0, s.klWeight(), 0);
      assertEquals(4 * s.kl() - s.reconstructionLogLikelihood(), s.loss(), 1e-3 * Math.abs(s.loss()));
    }
    Evaluation test = epochs.get(2).test();
    assertEquals(test.reconstructionLogLikelihood() - test.kl(), test.elbo(), 1e-9);
  }

  @Test
  void annealingFeedsTheScheduledWeight() {
    TrainConfig linear = base().withObjective(ObjectiveConfig.elbo().withKl(1f, KlSchedule.Anneal.LINEAR, 10));
    List<TrainingSession.StepResult> r = steps(VaeSpec.conv(SHAPE, 2), linear, new ArrayList<>());
    for (int k = 0; k < r.size(); k++) {
      assertEquals(Math.min(1.0, k / 10.0), r.get(k).klWeight(), 1e-6, "step " + (k + 1));
    }
  }

  @Test
  void theBalancedWeightFollowsTheRuleFromZero() {
    double alpha = 1e-3;
    TrainConfig balanced = base().withObjective(ObjectiveConfig.elbo().withKlBalance(alpha));
    List<TrainingSession.StepResult> r = steps(VaeSpec.conv(SHAPE, 2), balanced, new ArrayList<>());
    double w = 0;
    for (TrainingSession.StepResult s : r) {
      assertEquals(w, s.klWeight(), 1e-5);
      w = Math.max(0, w + alpha * (-s.reconstructionLogLikelihood() - w * s.kl()));
    }
    assertTrue(w > 0);
  }

  @Test
  void freeBitsKeepTheKlFromCollapsingBelowTheFloor() {
    TrainConfig strong = base().withEpochs(3).withObjective(ObjectiveConfig.elbo()
        .withKl(20f, KlSchedule.Anneal.NONE, 1));
    List<EpochStats> collapsed = new ArrayList<>();
    steps(VaeSpec.conv(SHAPE, 2), strong, collapsed);
    List<EpochStats> floored = new ArrayList<>();
    steps(VaeSpec.conv(SHAPE, 2), strong.withObjective(strong.objective().withFreeBits(1f)), floored);
    // with beta 20 the KL is squeezed towards 0; a 1-nat floor per dimension stops the squeeze at about 1
    assertTrue(floored.get(2).test().kl() > collapsed.get(2).test().kl(),
        floored.get(2).test().kl() + " vs " + collapsed.get(2).test().kl());
  }

  @Test
  void monteCarloSamplesTrainAndChangeTheNoise() {
    TrainConfig mc = base().withObjective(ObjectiveConfig.elbo().withMcSamples(4));
    List<TrainingSession.StepResult> four = steps(VaeSpec.conv(SHAPE, 2), mc, new ArrayList<>());
    List<TrainingSession.StepResult> one = steps(VaeSpec.conv(SHAPE, 2), base(), new ArrayList<>());
    assertTrue(meanLoss(four, four.size() - 3, four.size()) < meanLoss(four, 0, 3));
    assertNotEquals(one.get(1).loss(), four.get(1).loss());
  }

  @Test
  void theImportanceWeightedBoundTrainsAndIsBelowTheReportedElboLoss() {
    TrainConfig iwae = base().withObjective(ObjectiveConfig.elbo().withIwae(5));
    List<TrainingSession.StepResult> r = steps(VaeSpec.conv(SHAPE, 2), iwae, new ArrayList<>());
    assertTrue(meanLoss(r, r.size() - 3, r.size()) < meanLoss(r, 0, 3), "the IWAE loss falls");
    // minus a tighter bound: on average below the ELBO loss (reconstruction error + KL) of the same steps
    double elboLoss = r.stream().mapToDouble(x -> x.kl() - x.reconstructionLogLikelihood()).average().orElseThrow();
    assertTrue(meanLoss(r, 0, r.size()) < elboLoss, meanLoss(r, 0, r.size()) + " vs " + elboLoss);
    assertEquals("iwae", iwae.objective().toMap().get("objective"));
    assertEquals(5, iwae.objective().toMap().get("train_samples"));
    assertFalse(ObjectiveConfig.elbo().toMap().containsKey("objective"), "ELBO records are unchanged");
    VaeException e = assertThrows(VaeException.class,
        () -> ObjectiveConfig.elbo().withFreeBits(0.5f).withIwae(5));
    assertEquals(List.of("bound", "klWeight", "klAnneal", "freeBits", "klBalance"), e.fields());
  }

  @ParameterizedTest
  @EnumSource(OptimizerConfig.Kind.class)
  void everyOptimizerLearnsAndClippingBoundsTheAppliedNorm(OptimizerConfig.Kind kind) {
    TrainConfig config = base().withOptimizer(OptimizerConfig.adam().withKind(kind).withClipping(0f, 5f));
    List<TrainingSession.StepResult> r = steps(VaeSpec.conv(SHAPE, 2), config, new ArrayList<>());
    for (TrainingSession.StepResult s : r) {
      assertTrue(s.gradientNorm() <= 5.0001, "norm " + s.gradientNorm());
    }
    assertTrue(meanLoss(r, r.size() - 3, r.size()) < meanLoss(r, 0, 3), kind + " learns");
    // the same run unclipped has gradients far above the bound: the clipping did the bounding
    List<TrainingSession.StepResult> free = steps(VaeSpec.conv(SHAPE, 2),
        base().withOptimizer(OptimizerConfig.adam().withKind(kind)), new ArrayList<>());
    assertTrue(free.get(0).gradientNorm() > 20, "unclipped first norm " + free.get(0).gradientNorm());
  }

  @Test
  void dynamicBinarizationIsReproducibleAndChangesWhatIsTrainedOn() throws IOException {
    TrainConfig dyn = base().withObjective(ObjectiveConfig.elbo().withBinarization(Binarization.DYNAMIC));
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> gray = new ArrayList<>();
    for (List<Double> out : List.of(a, b, gray)) {
      TrainConfig config = out == gray ? base() : dyn;
      try (TrainingSession s = TrainingSession.create(VaeSpec.conv(SHAPE, 2), config, org.vae4j.internal.tf.Sessions.cpu())) {
        Epochs.train(s, data.train(), 1, data.test(), new TrainingListener() {
          @Override
          public void batchDone(int epoch, int batch, int batches, double loss, double seconds) {
            out.add(loss);
          }
        });
      }
    }
    assertEquals(a, b);
    assertNotEquals(a.get(0), gray.get(0), "binary pixels give another loss than the gray levels");
  }

  @Test
  void learningRateScheduleIsFedStepByStep() {
    TrainConfig cosine = base().withOptimizer(OptimizerConfig.adam()
        .withSchedule(LearningRateSchedule.Kind.COSINE, 2, 1));
    List<TrainingSession.StepResult> r = steps(VaeSpec.conv(SHAPE, 2), cosine, new ArrayList<>());
    long total = r.size();
    assertEquals(18, total, "6 full batches of 16 per epoch, 3 epochs");
    for (int k = 0; k < total; k++) {
      double warm = Math.min(1.0, (k + 1) / 2.0);
      double want = 1e-3 * warm * 0.5 * (1 + Math.cos(Math.PI * k / total));
      assertEquals(want, r.get(k).learningRate(), 1e-9, "step " + (k + 1));
    }
    assertTrue(r.get((int) total - 1).learningRate() < 1e-5, "decays towards 0 at the last step");
  }

  @Test
  void aScheduleCountedInEpochsNeedsTheEpochLengthFirst() {
    TrainConfig cosine = base().withOptimizer(OptimizerConfig.adam()
        .withSchedule(LearningRateSchedule.Kind.COSINE, 0, 1));
    try (TrainingSession s = TrainingSession.create(VaeSpec.conv(SHAPE, 2), cosine, org.vae4j.internal.tf.Sessions.cpu())) {
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> s.trainStep(new float[16 * 64], 16));
      assertTrue(e.getMessage().contains("setStepsPerEpoch"), e.getMessage());
    }
  }

  @Test
  void theMlpHasTheClassicLayersMirroredInTheDecoder() {
    // 784-512-256 with mean and log-variance heads of 32, mirrored, Bernoulli output of 784
    long encoder = 784L * 512 + 512 + 512L * 256 + 256 + 2 * (256L * 32 + 32);
    long decoder = 32L * 256 + 256 + 256L * 512 + 512 + 512L * 784 + 784;
    VaeSpec mlp = VaeSpec.mlp(new ImageShape(28, 28, 1), 32, 512, 256);
    try (TrainingSession s = TrainingSession.create(mlp, base(), org.vae4j.internal.tf.Sessions.cpu())) {
      assertEquals(encoder + decoder, s.parameterCount());
    }
    VaeSpec learned = mlp.withLikelihood(Likelihood.GAUSSIAN_LEARNED, 1);
    try (TrainingSession s = TrainingSession.create(learned, base(), org.vae4j.internal.tf.Sessions.cpu())) {
      assertEquals(encoder + decoder + 512L * 784 + 784, s.parameterCount(), "a log-variance per pixel more");
    }
  }
}
