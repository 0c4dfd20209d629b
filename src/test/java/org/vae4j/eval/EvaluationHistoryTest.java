package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.json.Json;
import org.vae4j.serve.Vae;

class EvaluationHistoryTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();

  @TempDir
  Path dir;

  @Test
  void aPartialEvaluationLeavesTheCompleteFiguresOnTheCardAndBothInTheHistory() throws IOException {
    Path version = copyModel(dir.resolve("m"));
    ImageSet test = MODEL.data.test().first(12);
    TestReport complete;
    TestReport partial;
    try (Vae vae = Vae.load(version)) {
      complete = TestReport.of(vae, test, "12 test images", 40, 0, 1, null);
      partial = TestReport.of(vae, test.first(5), "5 test images", 10, 0, 2, null);
    }

    ModelCard before = card(version);
    EvaluationHistory.Outcome first = EvaluationHistory.record(version, before, complete, false);
    assertTrue(first.cardUpdated());
    ModelCard shown = card(version);
    assertEquals(complete.logLikelihood(), shown.metrics().get("test_log_likelihood"));
    assertEquals(12.0, shown.metrics().get("test_images"));
    assertEquals("evaluations/" + first.recorded().name(), shown.evaluation().get("file"));
    String shownJson = Files.readString(version.resolve(EvaluationHistory.SHOWN));

    EvaluationHistory.Outcome second = EvaluationHistory.record(version, shown, partial, false);
    assertFalse(second.cardUpdated(), "5 images with K = 10 is less complete than 12 with K = 40");
    assertEquals(first.recorded().name(), second.shown().name());
    assertEquals(shown, card(version), "the card keeps the complete figures");
    assertEquals(shownJson, Files.readString(version.resolve(EvaluationHistory.SHOWN)));

    List<EvaluationHistory.Entry> history = EvaluationHistory.read(version);
    assertEquals(2, history.size(), "both kept: " + history);
    EvaluationHistory.Entry kept = history.get(1);
    assertEquals(5, kept.images());
    assertEquals(10, kept.importanceSamples());
    assertEquals(partial.elbo(), ((Number) kept.figures().get("test_elbo")).doubleValue());
    assertEquals(2L, kept.figures().get("importance_seed"), "the protocol is kept with the figures");
    assertEquals("5 test images", kept.figures().get("test_data"));
    assertTrue(kept.figures().containsKey("vae4j_version") && kept.figures().containsKey("recorded"));

    // asked for: the partial one is shown, and the complete one stays in the history
    EvaluationHistory.Outcome third = EvaluationHistory.record(version, card(version), partial, true);
    assertTrue(third.cardUpdated());
    assertEquals(5.0, card(version).metrics().get("test_images"));
    assertEquals(3, EvaluationHistory.read(version).size());
    // the training-time figures that are not test figures survive every change
    assertEquals(before.metrics().keySet().stream().filter(k -> !ModelCard.TEST_FIGURES.contains(k)).toList(),
        card(version).metrics().keySet().stream().filter(k -> !ModelCard.TEST_FIGURES.contains(k)).toList());
  }

  @Test
  void anEvaluationJsonFromBeforeTheHistoryIsKeptAsItsFirstEntry() throws IOException {
    Path version = copyModel(dir.resolve("legacy"));
    Map<String, Object> legacy = Map.of("test_data", "mnist test set, 10000 images", "test_images", 10000.0,
        "test_elbo", -90.0, "test_importance_samples", 5000.0, "test_importance_images", 10000.0,
        "test_log_likelihood", -85.0);
    Files.writeString(version.resolve(EvaluationHistory.SHOWN), Json.write(legacy));
    TestReport quick;
    try (Vae vae = Vae.load(version)) {
      quick = TestReport.of(vae, MODEL.data.test().first(6), "6 test images", 20, 0, 1, null);
    }
    ModelCard before = card(version);
    EvaluationHistory.Outcome outcome = EvaluationHistory.record(version, before, quick, false);
    assertFalse(outcome.cardUpdated());
    assertEquals(before, card(version));
    List<EvaluationHistory.Entry> history = EvaluationHistory.read(version);
    assertEquals(2, history.size());
    assertEquals(10000, history.get(0).images());
    assertEquals(-85.0, history.get(0).figures().get("test_log_likelihood"));

    // adopting names the old evaluation on the card without changing a figure, once
    Path other = copyModel(dir.resolve("adopted"));
    Files.writeString(other.resolve(EvaluationHistory.SHOWN), Json.write(legacy));
    ModelCard plain = card(other);
    ModelCard adopted = EvaluationHistory.adopt(other, plain);
    assertEquals("evaluations/0000-evaluation.json", adopted.evaluation().get("file"));
    assertEquals(plain.metrics(), adopted.metrics());
    assertEquals(adopted, card(other));
    assertEquals(adopted, EvaluationHistory.adopt(other, adopted));
    assertEquals(1, EvaluationHistory.read(other).size());
  }

  @Test
  void theTrainingRunsFiguresCountWhenTheCardNamesNoEvaluation() throws IOException {
    Path version = copyModel(dir.resolve("trained"));
    ModelCard trained = card(version).withMetrics(Map.of("test_images", 10000.0, "test_elbo", -95.0));
    Files.writeString(version.resolve(Contract.MODEL_CARD), trained.toJson());
    TestReport quick;
    try (Vae vae = Vae.load(version)) {
      quick = TestReport.of(vae, MODEL.data.test().first(6), "6 test images", 0, 0, 1, null);
    }
    assertFalse(EvaluationHistory.record(version, trained, quick, false).cardUpdated());
    assertEquals(-95.0, card(version).metrics().get("test_elbo"));
    assertEquals(2, EvaluationHistory.read(version).size());
  }

  @Test
  void aLinkedEvaluationsFolderIsRefusedAndWhereItLeadsIsLeftAlone() throws IOException {
    Path version = Files.createDirectories(dir.resolve("linked/1/assets.extra"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve(".x.tmp-1"), "someone else's");
    Files.writeString(elsewhere.resolve("keep.json"), "{}");
    Files.createSymbolicLink(version.resolve("evaluations"), elsewhere);
    Path v = version.getParent();
    for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
        () -> EvaluationHistory.record(v, null, null, false), () -> EvaluationHistory.adopt(v, null),
        () -> EvaluationHistory.read(v))) {
      org.vae4j.VaeException e = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class, call);
      assertTrue(e.getMessage().contains("evaluations is a symbolic link"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    try (var files = Files.list(elsewhere)) {
      assertEquals(List.of(".x.tmp-1", "keep.json"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing written, moved or deleted where the link leads");
    }
  }

  @Test
  void aNamedPipeAmongTheEvaluationsIsRefusedWithoutHanging() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("fifo/1/" + EvaluationHistory.FOLDER));
    org.vae4j.internal.util.SafeFilesTest.mkfifo(folder.resolve("2026.json"));
    org.vae4j.VaeException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(10), () -> org.junit.jupiter.api.Assertions.assertThrows(
            org.vae4j.VaeException.class, () -> EvaluationHistory.read(dir.resolve("fifo/1"))));
    assertTrue(e.getMessage().contains("named pipe"), e.getMessage());
  }

  @Test
  void withTheHistoryGoneTheCardsOwnProtocolKeepsAQuickCheckFromReplacingIt() throws IOException {
    Path version = Fixtures.copyModel(Path.of("savedmodels/mnist-z2/1"), dir.resolve("copied"));
    org.vae4j.internal.util.Files2.deleteRecursively(version.resolve(EvaluationHistory.FOLDER));
    Files.delete(version.resolve(EvaluationHistory.SHOWN));
    ModelCard before = card(version);
    TestReport quick;
    try (Vae vae = Vae.load(version)) {
      quick = TestReport.of(vae, org.vae4j.data.IdxDatasets.mnist().test().first(20), "20 test images", 10, 0, 1,
          null);
    }
    EvaluationHistory.Outcome outcome = EvaluationHistory.record(version, before, quick, false);
    assertFalse(outcome.cardUpdated(), "20 images with K = 10 is less complete than the card's 10000 with K = 5000");
    assertEquals(before, card(version));
    assertEquals(10000, outcome.shown().images());
    assertEquals(2, EvaluationHistory.read(version).size());
    // a second quick check still compares with the card's figures, and asking still replaces them
    assertFalse(EvaluationHistory.record(version, card(version), quick, false).cardUpdated());
    assertTrue(EvaluationHistory.record(version, card(version), quick, true).cardUpdated());
    assertEquals(20.0, card(version).metrics().get("test_images"));
  }

  @Test
  void completenessIsImagesThenSamplesThenEstimatedImages() {
    EvaluationHistory.Entry a = entry(10000, 200, 10000);
    EvaluationHistory.Entry b = entry(10000, 5000, 2000);
    EvaluationHistory.Entry c = entry(500, 5000, 500);
    assertTrue(EvaluationHistory.COMPLETENESS.compare(b, a) > 0);
    assertTrue(EvaluationHistory.COMPLETENESS.compare(a, c) > 0);
    assertNotEquals(0, EvaluationHistory.COMPLETENESS.compare(entry(10, 5, 5), entry(10, 5, 4)));
  }

  private static EvaluationHistory.Entry entry(double images, double k, double estimated) {
    return new EvaluationHistory.Entry("x.json", Map.of("test_images", images, "test_importance_samples", k,
        "test_importance_images", estimated));
  }

  private static ModelCard card(Path version) throws IOException {
    return ModelCard.fromJson(Files.readString(version.resolve(Contract.MODEL_CARD), StandardCharsets.UTF_8),
        "card");
  }

  private static Path copyModel(Path target) throws IOException {
    return Fixtures.copyModel(MODEL.version, target);
  }
}
