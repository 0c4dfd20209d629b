package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.spec.Device;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.Evaluation;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

class TrainingSessionTest {
  @TempDir
  Path dir;

  private static final VaeSpec SMALL = VaeSpec.conv(new ImageShape(8, 8, 1), 2);

  private static List<Double> losses(long seed, Dataset data, int epochs) {
    return losses(TrainConfig.defaults().withBatchSize(16).withSeed(seed), data, epochs, true);
  }

  private static List<Double> losses(TrainConfig config, Dataset data, int epochs, boolean background) {
    List<Double> losses = new ArrayList<>();
    try (TrainingSession s = TrainingSession.create(SMALL, config, org.vae4j.internal.tf.Sessions.cpu())) {
      s.backgroundBatches(background);
      for (int epoch = 1; epoch <= epochs; epoch++) {
        Epochs.train(s, data.train(), epoch, data.test(), new TrainingListener() {
          @Override
          public void batchDone(int e, int batch, int batches, double loss, double seconds) {
            losses.add(loss);
          }
        });
      }
    }
    return losses;
  }

  @Test
  void trainingLowersTheLossAndTheSameSeedRepeatsItExactly() throws IOException {
    Dataset data = IdxDatasets.folder(Fixtures.idxFolder(dir.resolve("d"), 128, 32, 8, 8, false));
    List<Double> a = losses(3, data, 4);
    List<Double> b = losses(3, data, 4);
    List<Double> c = losses(4, data, 4);
    assertEquals(a, b, "same seed, same data: the same loss curve");
    assertNotEquals(a, c, "another seed gives another run");
    double first = a.subList(0, 4).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double last = a.subList(a.size() - 4, a.size()).stream().mapToDouble(Double::doubleValue).average()
        .orElseThrow();
    assertTrue(last < 0.8 * first, "loss fell from " + first + " to " + last);
  }

  @Test
  void batchesPreparedInTheBackgroundAreTheBatchesPreparedInline() throws IOException {
    // dynamic binarization draws from the step number: the background thread's guess of the next step must hold
    Dataset data = IdxDatasets.folder(Fixtures.idxFolder(dir.resolve("b"), 100, 20, 8, 8, false));
    TrainConfig config = TrainConfig.defaults().withBatchSize(16).withSeed(5).withObjective(
        org.vae4j.spec.ObjectiveConfig.elbo().withBinarization(org.vae4j.data.Binarization.DYNAMIC));
    // same graph, same inputs, same process: the loss curves agree bit for bit
    assertEquals(losses(config, data, 2, false), losses(config, data, 2, true));
  }

  @Test
  void evaluationIsATrueElboAndRepeatable() throws IOException {
    Dataset data = IdxDatasets.folder(Fixtures.idxFolder(dir.resolve("e"), 64, 40, 8, 8, true));
    TrainConfig config = TrainConfig.defaults().withBatchSize(16);
    try (TrainingSession s = TrainingSession.create(SMALL, config, org.vae4j.internal.tf.Sessions.cpu())) {
      EpochStats stats = Epochs.train(s, data.train(), 1, data.test(), TrainingListener.SILENT);
      assertEquals(4, s.step());
      assertEquals(64, stats.train().images());
      Evaluation e = s.evaluate(data.test(), 9);
      assertEquals(40, e.images());
      assertEquals(e.reconstructionLogLikelihood() - e.kl(), e.elbo(), 1e-6);
      assertTrue(e.elbo() < 0, "log-likelihood bound of continuous-valued pixels is negative here");
      assertTrue(e.kl() >= 0);
      assertEquals(e, s.evaluate(data.test(), 9));
      assertNotEquals(e.reconstructionLogLikelihood(), s.evaluate(data.test(), 10).reconstructionLogLikelihood());
    }
  }

  @Test
  void aLastBatchOfOneImageIsSkipped() throws IOException {
    Dataset data = IdxDatasets.folder(Fixtures.idxFolder(dir.resolve("odd"), 17, 4, 8, 8, false));
    try (TrainingSession s = TrainingSession.create(SMALL, TrainConfig.defaults().withBatchSize(8),
        org.vae4j.internal.tf.Sessions.cpu())) {
      EpochStats stats = Epochs.train(s, data.train(), 1, data.test(), TrainingListener.SILENT);
      assertEquals(2, s.step());
      assertEquals(16, stats.train().images());
    }
  }

  @Test
  void checkpointsReplaceTheOldOneAndLeaveNoTemporaryFiles() throws IOException {
    try (TrainingSession s = TrainingSession.create(SMALL, TrainConfig.defaults(), org.vae4j.internal.tf.Sessions.cpu())) {
      Path ckpt = dir.resolve("run").resolve("checkpoint");
      Path prefix = s.saveCheckpoint(ckpt);
      assertTrue(Files.exists(Path.of(prefix + ".index")));
      s.saveCheckpoint(ckpt);
      try (Stream<Path> files = Files.list(dir.resolve("run"))) {
        assertEquals(List.of("checkpoint"), files.map(p -> p.getFileName().toString()).toList());
      }
    }
  }

  @Test
  void aNonFiniteStepChangesNothingAndTheEpochStopsWithAHint() throws IOException {
    TrainConfig config = TrainConfig.defaults().withBatchSize(4);
    try (TrainingSession s = TrainingSession.create(SMALL, config, org.vae4j.internal.tf.Sessions.cpu())) {
      float[] good = new float[4 * 64];
      java.util.Arrays.fill(good, 0.5f);
      s.trainStep(good, 4);
      String[] watched = {"encoder.conv1.kernel", "decoder.deconv2.bias", "encoder.conv2.bn.moving_mean",
          "encoder.conv1.kernel-adam-m"};
      List<float[]> before = new ArrayList<>();
      for (String name : watched) {
        before.add(s.variable(name));
      }
      float[] bad = good.clone();
      bad[7] = Float.NaN;
      TrainingSession.StepResult r = s.trainStep(bad, 4);
      assertTrue(Double.isNaN(r.loss()) && !r.applied());
      assertEquals(1, s.step(), "a skipped step is not counted");
      for (int i = 0; i < watched.length; i++) {
        assertTrue(java.util.Arrays.equals(before.get(i), s.variable(watched[i])), watched[i] + " unchanged");
      }
      TrainingSession.StepResult next = s.trainStep(good, 4);
      assertTrue(next.applied() && Double.isFinite(next.loss()));
      assertEquals(2, s.step());
      assertTrue(!java.util.Arrays.equals(before.get(0), s.variable(watched[0])), "a good step changes weights");
      VaeException e = Trainer.nonFinite(r, 2);
      assertTrue(e.getMessage().contains("step 2") && e.getMessage().contains("learningRate")
          && e.getMessage().contains("likelihood"), e.getMessage());
    }
  }

  @Test
  void absurdModelSizesFailBeforeAnythingIsAllocated() {
    // the seed's two levels on 1024 x 1024: 256 x 256 x 128 features before a 1024-unit layer (the default stack
    // would go deeper and stay small)
    VaeSpec huge = VaeSpec.conv(new ImageShape(1024, 1024, 1), 2).withConvStack(org.vae4j.spec.ConvStack.SEED);
    VaeException e = assertThrows(VaeException.class,
        () -> TrainingSession.create(huge, TrainConfig.defaults(), org.vae4j.internal.tf.Sessions.cpu()));
    assertTrue(e.getMessage().contains("parameters") && e.getMessage().contains("smaller images"), e.getMessage());
  }

  @Test
  void configRecordsFloatsAsTheDecimalsGiven() {
    var m = TrainConfig.defaults().toMap();
    assertEquals(0.001, m.get("learning_rate"));
    assertEquals(0.999, m.get("beta2"));
    assertEquals(1e-8, m.get("epsilon"));
  }

  @Test
  void configRejectsBadValuesWithTheOptionName() {
    VaeException e = assertThrows(VaeException.class, () -> TrainConfig.defaults().withBatchSize(1));
    assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    e = assertThrows(VaeException.class, () -> TrainConfig.defaults().withEpochs(0));
    assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    e = assertThrows(VaeException.class, () -> TrainConfig.defaults().withLearningRate(-1f));
    assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
  }
}
