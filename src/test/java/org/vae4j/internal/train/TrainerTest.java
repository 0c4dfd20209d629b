package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.spec.Device;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.OnNan;
import org.vae4j.spec.OptimizerConfig;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** The run loop: checkpoints, exact resume, the NaN policy, validation and early stopping. */
class TrainerTest {
  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  private static Dataset data;
  private static final VaeSpec SPEC = VaeSpec.conv(new ImageShape(8, 8, 1), 2);
  private static final String[] WATCHED = {"encoder.conv1.kernel", "decoder.dense2.kernel",
      "encoder.conv2.bn.moving_variance", "decoder.deconv2.bias-adam-v"};

  @BeforeAll
  static void data() throws IOException {
    data = IdxDatasets.folder(Fixtures.idxFolder(shared.resolve("d"), 100, 30, 8, 8, false));
  }

  private static TrainConfig config() {
    return TrainConfig.defaults().withBatchSize(16).withEpochs(3).withSeed(21);
  }

  private static Trainer.Data split() {
    return new Trainer.Data(data.train(), null, data.test());
  }

  /** Runs from {@code start} until the end or until {@code stopAfter} batches of this call (-1: never). */
  private static Trainer.Outcome run(TrainingSession s, Path run, Trainer.Settings settings, Trainer.Data d,
      Checkpoints.State start, int stopAfter) throws IOException {
    AtomicInteger batches = new AtomicInteger();
    try (RunLog log = start == null ? RunLog.open(run, true) : RunLog.resume(run, true,
        start.progress().epoch())) {
      // the trainer may ask more than once per batch (at epoch ends too): count the batches themselves
      return Trainer.run(s, d, new Checkpoints(run, settings.keepCheckpoints()), settings, start,
          () -> stopAfter >= 0 && batches.get() > stopAfter, log, new Trainer.Events() {
            @Override
            public void batchDone(int epoch, int batch, int batchesInEpoch, double loss, double seconds) {
              batches.incrementAndGet();
            }
          });
    }
  }

  private static List<float[]> weights(TrainingSession s) {
    List<float[]> out = new ArrayList<>();
    for (String name : WATCHED) {
      out.add(s.variable(name));
    }
    return out;
  }

  private static void assertSameWeights(List<float[]> a, List<float[]> b) {
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), 1e-6f, WATCHED[i]);
    }
  }

  @Test
  void aStoppedRunResumedFromItsCheckpointEndsWithTheSameWeights() throws IOException {
    Trainer.Settings settings = new Trainer.Settings(4, 3, OnNan.STOP, 0);
    List<float[]> straight;
    try (TrainingSession s = TrainingSession.create(SPEC, config(), org.vae4j.internal.tf.Sessions.cpu())) {
      Trainer.Outcome o = run(s, dir.resolve("straight"), settings, split(), null, -1);
      assertEquals(Trainer.Stop.FINISHED, o.stop());
      assertEquals(3, o.history().size());
      straight = weights(s);
    }
    Path run = dir.resolve("stopped");
    Checkpoints.State stoppedAt;
    try (TrainingSession s = TrainingSession.create(SPEC, config(), org.vae4j.internal.tf.Sessions.cpu())) {
      // stops in the middle of epoch 2 (7 batches per epoch), after its checkpoint is written
      Trainer.Outcome o = run(s, run, settings, split(), null, 10);
      assertEquals(Trainer.Stop.INTERRUPTED, o.stop());
      stoppedAt = o.state();
      assertEquals(2, stoppedAt.progress().epoch());
      assertEquals(4, stoppedAt.progress().batchesDone());
      assertEquals(11, stoppedAt.steps(), "the stopping batch finished before the checkpoint");
    }
    Checkpoints.Saved latest = new Checkpoints(run, 3).latest().orElseThrow();
    assertEquals(stoppedAt, latest.state());
    try (TrainingSession s = TrainingSession.create(SPEC, config(), org.vae4j.internal.tf.Sessions.cpu())) {
      s.restore(latest.prefix(), latest.state().steps(), latest.state().klBalance());
      Trainer.Outcome o = run(s, run, settings, split(), latest.state(), -1);
      assertEquals(Trainer.Stop.FINISHED, o.stop());
      assertSameWeights(straight, weights(s));
      assertEquals(List.of(2, 3), o.history().stream().map(EpochStats::epoch).toList());
    }
    assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header and epochs 1 to 3, once each");
  }

  @Test
  void theMovingAverageOfTheWeightsFollowsItsClosedForm() {
    TrainConfig ema = config().withOptimizer(OptimizerConfig.adam().withEma(0.9f));
    String name = "decoder.dense2.kernel";
    try (TrainingSession s = TrainingSession.create(SPEC, ema, org.vae4j.internal.tf.Sessions.cpu())) {
      s.setStepsPerEpoch(7);
      float[] w = s.variable(name);
      assertArrayEquals(w, s.variable(name + "-ema"), "the average starts at the initial weights");
      double[] average = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        average[i] = w[i];
      }
      float[][] batch = data.train().images(0, 16);
      float[] pixels = new float[16 * 64];
      for (int i = 0; i < 16; i++) {
        System.arraycopy(batch[i], 0, pixels, i * 64, 64);
      }
      for (int t = 0; t < 5; t++) {
        assertTrue(s.trainStep(pixels, 16).applied());
        float[] now = s.variable(name);
        double d = Math.min(0.9, (1.0 + t) / (10.0 + t));
        for (int i = 0; i < w.length; i++) {
          average[i] = d * average[i] + (1 - d) * now[i];
        }
      }
      float[] got = s.variable(name + "-ema");
      for (int i = 0; i < w.length; i++) {
        // float32 accumulation against the double recurrence
        assertEquals(average[i], got[i], 1e-6 + 1e-5 * Math.abs(average[i]), "element " + i);
      }
      // evaluation reads the averages and then puts the weights back
      float[] before = s.variable(name);
      s.decode(new float[][] {{0f, 0f}});
      assertArrayEquals(before, s.variable(name));
      assertFalse(java.util.Arrays.equals(before, got), "five steps move the weights away from their average");
    }
  }

  @Test
  void aResumedRunWithAMovingAverageEndsWithTheSameAverage() throws IOException {
    TrainConfig ema = config().withOptimizer(OptimizerConfig.adam().withEma(0.99f));
    Trainer.Settings settings = new Trainer.Settings(4, 3, OnNan.STOP, 0);
    String name = "encoder.conv1.kernel-ema";
    float[] straight;
    try (TrainingSession s = TrainingSession.create(SPEC, ema, org.vae4j.internal.tf.Sessions.cpu())) {
      run(s, dir.resolve("ema-straight"), settings, split(), null, -1);
      straight = s.variable(name);
    }
    Path run = dir.resolve("ema-stopped");
    try (TrainingSession s = TrainingSession.create(SPEC, ema, org.vae4j.internal.tf.Sessions.cpu())) {
      assertEquals(Trainer.Stop.INTERRUPTED, run(s, run, settings, split(), null, 10).stop());
    }
    Checkpoints.Saved latest = new Checkpoints(run, 3).latest().orElseThrow();
    try (TrainingSession s = TrainingSession.create(SPEC, ema, org.vae4j.internal.tf.Sessions.cpu())) {
      s.restore(latest.prefix(), latest.state().steps(), latest.state().klBalance());
      assertEquals(Trainer.Stop.FINISHED, run(s, run, settings, split(), latest.state(), -1).stop());
      assertArrayEquals(straight, s.variable(name), 1e-6f, "the same average as the uninterrupted run");
    }
  }

  /**
   * Exact for every noise a step draws: the codes' and, for a random-mask model, the masks (drawn in the graph from
   * the step's seed).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void aRunKilledBetweenCheckpointsRedoesTheLostStepsExactly(boolean randomMasks) throws IOException {
    VaeSpec spec = randomMasks ? SPEC.withObservation(org.vae4j.contract.Observation.RANDOM_MASK, false) : SPEC;
    Trainer.Settings settings = new Trainer.Settings(3, 2, OnNan.STOP, 0);
    List<float[]> straight;
    try (TrainingSession s = TrainingSession.create(spec, config(), org.vae4j.internal.tf.Sessions.cpu())) {
      run(s, dir.resolve("straight" + randomMasks), settings, split(), null, -1);
      straight = weights(s);
    }
    Path run = dir.resolve("killed" + randomMasks);
    try (TrainingSession s = TrainingSession.create(spec, config(), org.vae4j.internal.tf.Sessions.cpu())) {
      // 7 batches per epoch: checkpoints every 3 updates, and the stop after the 6th batch
      assertEquals(Trainer.Stop.INTERRUPTED, run(s, run, settings, split(), null, 5).stop());
    }
    Checkpoints checkpoints = new Checkpoints(run, 2);
    try (Stream<Path> files = Files.list(checkpoints.dir())) {
      assertEquals(List.of("step-0000000003", "step-0000000006"), files.map(p -> p.getFileName().toString())
          .sorted().toList());
    }
    // a SIGKILL just before step 6's checkpoint: step 3 (mid-epoch) survives, and steps 4 to 6 are done again
    org.vae4j.internal.util.Files2.deleteRecursively(checkpoints.latest().orElseThrow().dir());
    Checkpoints.Saved resumeFrom = checkpoints.latest().orElseThrow();
    assertEquals(3, resumeFrom.state().steps());
    assertEquals(3, resumeFrom.state().progress().batchesDone());
    try (TrainingSession s = TrainingSession.create(spec, config(), org.vae4j.internal.tf.Sessions.cpu())) {
      s.restore(resumeFrom.prefix(), resumeFrom.state().steps(), resumeFrom.state().klBalance());
      run(s, run, settings, split(), resumeFrom.state(), -1);
      assertSameWeights(straight, weights(s));
    }
  }

  @Test
  void aFailedCheckpointWriteKeepsThePreviousOneAndLeavesNoTemporaryFolder() throws IOException {
    Path run = dir.resolve("full");
    try (TrainingSession s = TrainingSession.create(SPEC, config(), org.vae4j.internal.tf.Sessions.cpu())) {
      Checkpoints good = new Checkpoints(run, 3);
      Checkpoints.State first = new Checkpoints.State(0, EpochProgress.start(1), 0, Double.NaN, 0, 0);
      good.save(s, first);
      Checkpoints full = new Checkpoints(run, 3, (session, prefix) -> {
        Files.write(Path.of(prefix + ".data-00000-of-00001"), new byte[1000]);
        throw new IOException("No space left on device");
      });
      Checkpoints.State second = new Checkpoints.State(5, new EpochProgress(1, 5, 0, 0, 0, 0), 0,
          Double.NaN, 0, 0);
      VaeException e = assertThrows(VaeException.class, () -> full.save(s, second));
      assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("previous ones are"
          + " kept"), e.getMessage());
      assertEquals(first, good.latest().orElseThrow().state(), "the previous checkpoint is still the newest");
      try (Stream<Path> files = Files.list(good.dir())) {
        assertEquals(List.of("step-0000000000"), files.map(p -> p.getFileName().toString()).toList());
      }

      // what SIGKILLs leave: a half-written step, a finished copy of an existing step, and a complete best whose
      // replacement died between its two renames; the next save clears all but the last, which may be the only copy
      Files.createDirectories(good.dir().resolve(".step-0000000009.tmp-abc"));
      Files.createDirectories(good.dir().resolve(".step-0000000000.tmp-123"));
      Files.writeString(good.dir().resolve(".step-0000000000.tmp-123").resolve(Checkpoints.STATE), "{}");
      Files.createDirectories(good.dir().resolve(".best.tmp-def"));
      Files.writeString(good.dir().resolve(".best.tmp-def").resolve(Checkpoints.STATE), "{}");
      good.save(s, new Checkpoints.State(7, EpochProgress.start(2), 0, Double.NaN, 0, 0));
      try (Stream<Path> files = Files.list(good.dir())) {
        assertEquals(List.of(".best.tmp-def", "step-0000000000", "step-0000000007"),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
  }

  @Test
  void theNanPolicyStopsOrSkipsAndGivesUpAfterTooManyInARow() {
    TrainingSession.StepResult bad = new TrainingSession.StepResult(Double.NaN, 0, 0, 1, 1e-3, Double.NaN, false);
    TrainingSession.StepResult good = new TrainingSession.StepResult(1, -1, 0, 1, 1e-3, 1, true);
    VaeException e = assertThrows(VaeException.class,
        () -> new Trainer.NanPolicy(OnNan.STOP).skipped(bad, 7));
    assertTrue(e.getMessage().contains("step 7"), e.getMessage());
    Trainer.NanPolicy skip = new Trainer.NanPolicy(OnNan.SKIP_BATCH);
    assertFalse(skip.skipped(good, 1));
    for (int i = 0; i < Trainer.MAX_CONSECUTIVE_SKIPS - 1; i++) {
      assertTrue(skip.skipped(bad, 2 + i));
    }
    assertFalse(skip.skipped(good, 20), "a good step resets the count");
    for (int i = 0; i < Trainer.MAX_CONSECUTIVE_SKIPS - 1; i++) {
      assertTrue(skip.skipped(bad, 21 + i));
    }
    e = assertThrows(VaeException.class, () -> skip.skipped(bad, 40));
    assertTrue(e.getMessage().contains("10 batches in a row"), e.getMessage());
  }

  @Test
  void validationKeepsTheBestEpochAndEarlyStoppingFollowsIt() throws IOException {
    Trainer.Data d = new Trainer.Data(data.train().first(80), data.train().slice(80, 20), data.test());
    TrainConfig config = config().withEpochs(12).withLearningRate(0.05f);
    List<Double> validation = new ArrayList<>();
    List<Integer> bestEpochs = new ArrayList<>();
    Path run = dir.resolve("early");
    Trainer.Outcome o;
    try (TrainingSession s = TrainingSession.create(SPEC, config, org.vae4j.internal.tf.Sessions.cpu());
        RunLog log = RunLog.open(run, true)) {
      o = Trainer.run(s, d, new Checkpoints(run, 2), new Trainer.Settings(0, 2, OnNan.STOP, 1), null,
          () -> false, log, new Trainer.Events() {
            @Override
            public void validated(int epoch, double elbo, boolean best) {
              validation.add(elbo);
              if (best) {
                bestEpochs.add(epoch);
              }
            }
          });
    }
    // the best is the maximum seen, and the run stopped the first epoch that did not improve on it
    int best = 0;
    for (int e = 1; e <= validation.size(); e++) {
      if (validation.get(e - 1) > (best == 0 ? Double.NEGATIVE_INFINITY : validation.get(best - 1))) {
        best = e;
      }
    }
    assertEquals(best, bestEpochs.get(bestEpochs.size() - 1));
    assertEquals(best, o.state().bestEpoch());
    assertEquals(Trainer.Stop.EARLY_STOPPED, o.stop(), "this seed and rate stop early: " + validation);
    assertEquals(best + 1, validation.size());
    assertTrue(validation.size() < 12);
    assertEquals(best + 1, o.exportFrom().state().progress().epoch(), "the export is the best epoch's checkpoint");
    assertTrue(o.exportFrom().dir().endsWith("best"));
  }
}
