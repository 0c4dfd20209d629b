package org.vae4j.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.InMemoryImages;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.train.Checkpoints;
import org.vae4j.internal.train.TrainingSession;
import org.vae4j.run.RunFolder;
import org.vae4j.run.RunListener;
import org.vae4j.run.RunResult;
import org.vae4j.run.TrainingRun;
import org.vae4j.spec.EpochStats;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** docs/EMBEDDING.md's example, compiled and run; cancelling and resuming a run from Java. */
class EmbeddingExampleTest {
  private static final Dataset MNIST = IdxDatasets.mnist();
  private static final float[][] TRAIN = MNIST.train().images(0, 256);
  private static final float[][] TEST = MNIST.test().images(0, 64);
  private static final VaeSpec SPEC = VaeSpec.mlp(new ImageShape(28, 28, 1), 2, 32);
  /** Two epochs with a moving average of the weights. */
  private static final TrainConfig EMA = TrainConfig.defaults().withEpochs(2).withBatchSize(64)
      .withOptimizer(org.vae4j.spec.OptimizerConfig.adam().withEma(0.9f));

  @TempDir
  Path dir;

  /** docs/EMBEDDING.md shows the example file {@code name} as it is compiled; returns its source. */
  static String assertDocumentShows(String name) throws IOException {
    String source = Files.readString(Path.of("src/test/java/org/vae4j/example/" + name + ".java"));
    String doc = Files.readString(Path.of("docs/EMBEDDING.md"));
    assertTrue(doc.contains("```java\n" + source.strip() + "\n```"), "docs/EMBEDDING.md repeats " + name);
    return source;
  }

  @Test
  void theDocumentShowsTheExampleAsCompiled() throws IOException {
    assertTrue(assertDocumentShows("EmbeddingExample").lines().count() < 40, "under 40 lines");
  }

  @Test
  void theExampleTrainsFromArraysExportsAndEncodesLikeTheTrainedModel() throws Exception {
    Path folder = dir.resolve("run");
    float[][] codes = EmbeddingExample.trainAndEncode(TRAIN, TEST, folder);
    assertEquals(64, codes.length);
    assertEquals(8, codes[0].length);
    RunFolder run = RunFolder.at(folder);
    assertTrue(Files.isRegularFile(run.version(1).resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(run.samplesPng()) && Files.isRegularFile(run.reconstructionsPng()));
    // the same weights in the training graph's inference path: another graph, so a float tolerance
    Checkpoints.Saved saved = new Checkpoints(folder, 3).latest().orElseThrow();
    try (TrainingSession s = TrainingSession.create(VaeSpec.conv(new ImageShape(28, 28, 1), 8),
        TrainConfig.defaults().withEpochs(2).withBatchSize(32), Sessions.cpu())) {
      s.restore(saved.prefix(), saved.state().steps(), saved.state().klBalance());
      float[][] means = s.encode(TEST)[0];
      for (int i = 0; i < TEST.length; i++) {
        for (int j = 0; j < 8; j++) {
          assertEquals(means[i][j], codes[i][j], 1e-4 * Math.max(1, Math.abs(means[i][j])), "image " + i);
        }
      }
    }
  }

  @Test
  void aCancelledRunLeavesACheckpointThatResumesToTheEnd() throws Exception {
    Path folder = dir.resolve("cancelled");
    TrainingRun.Cancel cancel = new TrainingRun.Cancel();
    RunListener afterFirstEpoch = new RunListener() {
      @Override
      public void epochDone(EpochStats s) {
        cancel.cancel();
      }
    };
    RunResult stopped = builder(folder).listener(afterFirstEpoch).cancel(cancel).train();
    assertEquals(RunResult.Ending.CANCELLED, stopped.ending());
    assertNull(stopped.savedModel(), "nothing exported");
    assertTrue(Files.isDirectory(stopped.position().checkpoint()));
    assertFalse(Files.exists(RunFolder.at(folder).version(1)));

    org.vae4j.VaeException other = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class,
        () -> builder(folder).data(InMemoryImages.of("arrays", new int[] {28, 28, 1}, TRAIN, null,
            java.util.Arrays.copyOf(TEST, 32), null)).resume());
    assertTrue(other.getMessage().contains("records test_images 64"), other.getMessage());
    // a spec.json written before conv stacks were a setting resumes as the seed stack it describes
    Path specFile = RunFolder.at(folder).specFile();
    java.util.Map<String, Object> spec = new java.util.LinkedHashMap<>(org.vae4j.internal.json.Json.parseObject(
        Files.readString(specFile)));
    spec.remove("conv_channels");
    spec.remove("conv_dense");
    Files.writeString(specFile, org.vae4j.internal.json.Json.write(spec));
    RunResult resumed = builder(folder).resume();
    assertEquals(RunResult.Ending.FINISHED, resumed.ending());
    assertEquals(3, resumed.position().epoch(), "both epochs done");
    assertEquals(1, resumed.history().size(), "the second epoch ran in the resumed call");
    assertTrue(Files.isRegularFile(resumed.savedModel().resolve("saved_model.pb")));
    assertTrue(Double.isFinite(resumed.testElbo()) && resumed.testElbo() < 0);
  }

  @Test
  void interruptingTheTrainingThreadCancelsItAndKeepsTheInterrupt() throws Exception {
    Path folder = dir.resolve("interrupted");
    AtomicReference<RunResult> result = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        result.set(builder(folder).listener(new RunListener() {
          @Override
          public void batchDone(int epoch, int batch, int batches, double loss, double seconds) {
            if (batch == 2) {
              Thread.currentThread().interrupt();
            }
          }
        }).train());
        flagAfter.set(Thread.currentThread().isInterrupted());
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    t.join(120_000);
    assertNull(failure.get());
    assertEquals(RunResult.Ending.CANCELLED, result.get().ending());
    assertEquals(2, result.get().position().batchesDone());
    assertTrue(flagAfter.get(), "the thread is still marked interrupted for its caller");
    assertEquals(RunResult.Ending.FINISHED, builder(folder).resume().ending());
  }

  @Test
  void aRunWithAMovingAverageExportsTheAverageBothWays() throws Exception {
    Path folder = dir.resolve("ema");
    RunResult run = builder(folder).config(EMA).train();
    assertEquals("moving average, decay 0.9", run.card().training().get("exported_weights"));
    Path again = org.vae4j.run.RunExport.export(folder, null, 0);
    Checkpoints.Saved saved = new Checkpoints(folder, 3).latest().orElseThrow();
    float[][] averaged = encodeAt(saved, EMA);  // a session with a moving average evaluates it
    float[][] last = encodeAt(saved, TrainConfig.defaults().withEpochs(2).withBatchSize(64)); // its last weights
    for (Path model : List.of(run.savedModel(), again)) {
      try (org.vae4j.serve.Vae vae = org.vae4j.serve.Vae.load(model)) {
        float[][] served = vae.encode(TEST).mean();
        double toAverage = 0;
        double toLast = 0;
        for (int i = 0; i < TEST.length; i++) {
          for (int j = 0; j < 2; j++) {
            toAverage = Math.max(toAverage, Math.abs(served[i][j] - averaged[i][j]));
            toLast = Math.max(toLast, Math.abs(served[i][j] - last[i][j]));
          }
        }
        assertTrue(toAverage < 1e-4, model + " serves the averaged weights: " + toAverage);
        assertTrue(toLast > 1e-3, model + " differs from the last weights: " + toLast);
      }
    }
    // asked for, the last weights: served as the session's, and the averaged export's figures do not carry over
    Path lastExport = org.vae4j.run.RunExport.export(folder, null, 0, org.vae4j.spec.Weights.LAST);
    try (org.vae4j.serve.Vae vae = org.vae4j.serve.Vae.load(lastExport)) {
      float[][] served = vae.encode(TEST).mean();
      for (int i = 0; i < TEST.length; i++) {
        for (int j = 0; j < 2; j++) {
          assertEquals(last[i][j], served[i][j], 1e-4, "batch sizes differ: float tolerance");
        }
      }
      assertEquals("last", vae.card().training().get("exported_weights"));
      assertTrue(vae.card().metrics().isEmpty(), vae.card().metrics().toString());
    }
    Path run2 = dir.resolve("no-ema");
    builder(run2).config(TrainConfig.defaults().withEpochs(1).withBatchSize(64)).train();
    org.vae4j.VaeException none = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class,
        () -> org.vae4j.run.RunExport.export(run2, null, 0, org.vae4j.spec.Weights.AVERAGED));
    assertEquals(List.of("weights"), none.fields());
  }

  @Test
  void anEarlierStepCheckpointExportsAsTheModelItWasThen() throws Exception {
    Path folder = dir.resolve("steps");
    RunResult run = builder(folder).config(EMA).train();
    Checkpoints checkpoints = new Checkpoints(folder, 3);
    List<Long> kept = checkpoints.keptSteps();
    assertEquals(2, kept.size(), "one checkpoint at each epoch end: " + kept);
    Checkpoints.Saved first = checkpoints.atStep(kept.get(0)).orElseThrow();
    assertEquals(kept.get(0), first.state().steps());

    Path earlier = org.vae4j.run.RunExport.export(folder, null, 0, null, kept.get(0));
    float[][] expected = encodeAt(first, EMA);  // the moving average after epoch 1, as an export then had it
    try (org.vae4j.serve.Vae vae = org.vae4j.serve.Vae.load(earlier)) {
      float[][] served = vae.encode(TEST).mean();
      for (int i = 0; i < TEST.length; i++) {
        for (int j = 0; j < 2; j++) {
          assertEquals(expected[i][j], served[i][j], 1e-4, "batch sizes differ: float tolerance");
        }
      }
      Map<String, Object> training = vae.card().training();
      assertEquals(kept.get(0), ((Number) training.get("exported_steps")).longValue());
      assertEquals(1, ((Number) training.get("exported_epoch")).intValue(), "the epochs finished at that step");
      assertTrue(vae.card().metrics().isEmpty(), "the run's figures are the last epoch's: " + vae.card().metrics());
    }
    // the newest step is the run's own checkpoint: the figures of its export (version 1, not the latest) carry over
    Path newest = org.vae4j.run.RunExport.export(folder, null, 0, null, kept.get(1));
    assertEquals(run.card().metrics(), cardOf(newest).metrics());
    assertEquals(2, ((Number) cardOf(newest).training().get("exported_epoch")).intValue());
    assertEquals(0, ((Number) cardOf(newest).training().get("skipped_batches")).intValue());
    // the same checkpoint with the other weights: no figures
    assertTrue(cardOf(org.vae4j.run.RunExport.export(folder, null, 0, org.vae4j.spec.Weights.LAST, kept.get(1)))
        .metrics().isEmpty());
    // a card that does not name its checkpoint (an interrupted run's export by an earlier vae4j) gives its figures
    // to nothing but a later export of the run's own checkpoint, and then only while it is the newest
    Path unsaid = folder.resolve("savedmodel/9");
    try (var files = Files.walk(run.savedModel())) {
      for (Path f : files.toList()) {
        Files.copy(f, unsaid.resolve(run.savedModel().relativize(f).toString()));
      }
    }
    Path cardFile = unsaid.resolve(org.vae4j.contract.Contract.MODEL_CARD);
    Map<String, Object> card = org.vae4j.internal.json.Json.parseObject(Files.readString(cardFile));
    @SuppressWarnings("unchecked")
    Map<String, Object> said = (Map<String, Object>) card.get("training");
    said.remove("exported_steps");
    ((Map<String, Object>) card.get("metrics")).put("test_elbo", -1.0);
    Files.writeString(cardFile, org.vae4j.internal.json.Json.write(card));
    assertTrue(cardOf(org.vae4j.run.RunExport.export(folder, null, 0, null, kept.get(0))).metrics().isEmpty());
    assertEquals(run.card().metrics(), cardOf(org.vae4j.run.RunExport.export(folder, null, 0, null)).metrics(),
        "the run's own export, not the newest");
    org.vae4j.internal.util.Files2.deleteRecursively(folder.resolve("savedmodel/10"));
    org.vae4j.internal.util.Files2.deleteRecursively(folder.resolve("savedmodel/11"));
    assertEquals(-1.0, cardOf(org.vae4j.run.RunExport.export(folder, null, 0, null)).metrics().get("test_elbo"),
        "the newest, saying nothing, is taken to be the run's own checkpoint");
    // a crafted card (not JSON) in an older version gives nothing and stops nothing; as the newest it is refused
    Files.writeString(cardFile, "{\"format\": 1, \"training\": [");
    Path past = org.vae4j.run.RunExport.export(folder, null, 0, null, kept.get(0));
    assertTrue(cardOf(past).metrics().isEmpty());
    org.vae4j.internal.util.Files2.deleteRecursively(past);
    org.vae4j.internal.util.Files2.deleteRecursively(folder.resolve("savedmodel/10"));
    org.vae4j.VaeException crafted = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class,
        () -> org.vae4j.run.RunExport.export(folder, null, 0, null));
    assertTrue(crafted.getMessage().startsWith(cardFile + " cannot carry its figures over: "), crafted.getMessage());
    assertFalse(Files.exists(folder.resolve("savedmodel/10")), "nothing written");
    org.vae4j.VaeException missing = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class,
        () -> org.vae4j.run.RunExport.export(folder, null, 0, null, kept.get(0) + 1));
    assertEquals("step " + (kept.get(0) + 1) + " is not a checkpoint " + folder + " kept; it kept those after"
        + " updates " + kept.get(0) + ", " + kept.get(1), missing.getMessage());
    assertEquals(List.of("step"), missing.fields());
    org.vae4j.VaeException negative = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class,
        () -> org.vae4j.run.RunExport.export(folder, null, 0, null, -1));
    assertEquals(List.of("step"), negative.fields());
  }

  private static org.vae4j.contract.ModelCard cardOf(Path version) throws IOException {
    Path file = version.resolve(org.vae4j.contract.Contract.MODEL_CARD);
    return org.vae4j.contract.ModelCard.fromJson(Files.readString(file), file.toString());
  }

  /** The latent means of TEST from a checkpoint, in a session trained as {@code config} says. */
  private static float[][] encodeAt(Checkpoints.Saved saved, TrainConfig config) {
    try (TrainingSession s = TrainingSession.create(SPEC, config, Sessions.cpu())) {
      s.restore(saved.prefix(), saved.state().steps(), saved.state().klBalance());
      return s.encode(TEST)[0];
    }
  }

  private static TrainingRun.Builder builder(Path folder) {
    return TrainingRun.builder()
        .spec(SPEC)
        .config(TrainConfig.defaults().withEpochs(2).withBatchSize(64))
        .data(InMemoryImages.of("arrays", new int[] {28, 28, 1}, TRAIN, null, TEST, null))
        .folder(folder);
  }
}
