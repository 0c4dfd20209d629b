package org.vae4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.train.TrainingSession;
import org.vae4j.serve.Vae;
import org.vae4j.spec.Evaluation;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.OptimizerConfig;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/** Fine-tuning's start: a new session from an exported model's or a run's weights. */
class InitFromTest {
  @TempDir
  Path tmp;

  @Test
  void aSessionStartedFromAnExportReproducesItsTestElboAtStepZero() {
    Fixtures.TinyModel tiny = Fixtures.tinyModel();
    InitFrom start = InitFrom.resolve(tiny.base);
    assertEquals(tiny.spec, start.spec());
    assertEquals(Weights.LAST, start.stored());
    // another optimizer: its slots start fresh, the model's variables come from the export
    TrainConfig adamax = tiny.config.withOptimizer(OptimizerConfig.adam().withKind(OptimizerConfig.Kind.ADAMAX));
    try (TrainingSession fresh = TrainingSession.create(tiny.spec, adamax, Sessions.cpu())) {
      fresh.initFrom(start.prefix(), start.stored());
      assertEquals(0, fresh.step());
      Evaluation theirs = tiny.session.evaluate(tiny.data.test().first(200), 3);
      Evaluation ours = fresh.evaluate(tiny.data.test().first(200), 3);
      // the same evaluation graph, shapes and noise in one process over bit-identical weights: equal exactly
      assertEquals(theirs.elbo(), ours.elbo());
      assertEquals(theirs.kl(), ours.kl());
    }
  }

  @Test
  void aModelOfAnotherSpecIsRefusedNamingTheField() {
    Fixtures.TinyModel tiny = Fixtures.tinyModel();
    VaeException e = assertThrows(VaeException.class,
        () -> InitFrom.resolve(tiny.base).checkSpec(VaeSpec.conv(new ImageShape(28, 28, 1), 4)));
    assertTrue(e.getMessage().contains("has latentDim 8 but the spec has 4"), e.getMessage());
    assertTrue(e.fields().contains("latentDim"), e.fields().toString());
    e = assertThrows(VaeException.class, () -> InitFrom.resolve(tiny.base)
        .checkSpec(VaeSpec.mlp(new ImageShape(28, 28, 1), 8, 64)));
    assertTrue(e.getMessage().contains("has architecture \"conv\" but the spec has \"mlp\""), e.getMessage());
    e = assertThrows(VaeException.class, () -> InitFrom.resolve(tmp.resolve("none")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void aRunWithAveragedWeightsStartsAnotherRunThatRecordsWhereItStarted() throws Exception {
    Dataset data = IdxDatasets.mnist().limitTrain(256);
    VaeSpec spec = VaeSpec.conv(new ImageShape(28, 28, 1), 4);
    TrainConfig config = TrainConfig.defaults().withEpochs(1).withBatchSize(64).withSeed(3)
        .withOptimizer(OptimizerConfig.adam().withEma(0.9f));
    Path first = tmp.resolve("first");
    RunResult a = TrainingRun.builder().spec(spec).config(config).data(data).folder(first).train();
    float[][] images = data.test().images(0, 16);
    try (Vae exported = Vae.load(a.savedModel())) {
      float[][] want = exported.encode(images).mean();
      // the export stores the averages under their own names; the run's checkpoint holds both
      for (Path from : new Path[] {a.savedModel(), first}) {
        InitFrom start = InitFrom.resolve(from);
        assertEquals(Weights.AVERAGED, start.stored());
        try (TrainingSession s = TrainingSession.create(spec, TrainConfig.defaults().withSeed(3), Sessions.cpu())) {
          s.initFrom(start.prefix(), start.stored());
          float[][] got = s.encode(images)[0];
          for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
              // the training graph's inference path against the serving graph: other op fusions, float32 rounding
              assertEquals(want[i][j], got[i][j], 1e-4, "image " + i + " dimension " + j + " from " + from);
            }
          }
        }
      }
    }
    Path second = tmp.resolve("second");
    RunResult b = TrainingRun.builder().spec(spec).config(TrainConfig.defaults().withEpochs(1).withBatchSize(64)
        .withLimit(128)).data(data).folder(second).initFrom(a.savedModel()).train();
    assertEquals(a.savedModel().toString(), b.card().training().get("init_from"));
    assertTrue(Files.readString(RunFolder.at(second).specFile()).contains("\"init_from\""));
  }
}
