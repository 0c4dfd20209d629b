package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.cli.MainAccess;
import org.vae4j.contract.Contract;
import org.vae4j.internal.json.Json;

/**
 * A SavedModel is untrusted input: every broken or hostile part of one gives a {@link VaeException} with one
 * sentence (never an {@code Error}, never TensorFlow's multi-line text), trusted or not.
 */
class HostileModelTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();

  @TempDir
  Path dir;

  @Test
  void aCardNested100000ArraysDeepIsOneSentence() throws IOException {
    Path version = copyModel("deep");
    String card = Files.readString(version.resolve(Contract.MODEL_CARD));
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    Files.writeString(version.resolve(Contract.MODEL_CARD), card.replace("\"model\": {", "\"deep\": " + deep
        + ",\n  \"model\": {"));
    String message = refused(version, "nesting at most " + Json.MAX_DEPTH + " levels");
    assertTrue(message.contains("vae4j.json is not a valid model card"), message);
    String info = cli("info", "--model", version.toString());
    assertTrue(info.startsWith("vae info: ") && info.contains("nesting at most"), info);
    assertFalse(info.contains("internal error") || info.contains("StackOverflow"), info);
  }

  @Test
  void malformedCardsAreOneSentenceNamingTheField() throws IOException {
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": 01"), "invalid JSON");
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": +8"), "invalid JSON");
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": 1e999"), "too large for a double");
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": 8, \"latent_dim\": 9"), "duplicate key");
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": 8.5"), "'latent_dim' must be a whole number");
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": 99999999999"), "'latent_dim' must be a whole");
    assertCard(c -> c.replace("[28, 28, 1]", "[28, 28]"), "image_shape must have 3 entries");
    assertCard(c -> c.replace("[28, 28, 1]", "[4096, 4096, 4096]"), "describes images of more than");
    assertCard(c -> c.replace("\"format\": 1", "\"format\": \"one\""),
        "'format' must be a whole number from 1 to 2147483647, found text");
    // the values issue 22 found coerced or dropped: each refused naming its field
    assertCard(c -> c.replaceFirst("\"parameters\": \\d+", "\"parameters\": 1e40"),
        "'parameters' must be a whole number from 0 to 9223372036854775807, found 1.0E40");
    assertCard(c -> c.replace("\"likelihood\": \"bernoulli\"", "\"likelihood\": {\"a\": [1]}"),
        "'likelihood' must be a text, found an object");
    assertCard(c -> c.replace("\"architecture\": \"conv\"", "\"architecture\": [1, 2]"),
        "'architecture' must be a text, found a list");
    assertCard(c -> c.replace("\"model\": {", "\"model\": 3, \"old_model\": {"), "'model' must be an object, found a number");
    assertCard(c -> c.replace("\"metrics\": {", "\"metrics\": {\"test_nll\": \"good\","),
        "'metrics.test_nll' must be a number, found text");
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": NaN"), "'NaN' is not a JSON number");
    assertCard(c -> c + "\n{}", "there is more text after the value");
    assertCard(c -> c + "x", "invalid JSON");
    assertCard(c -> "", "holds no value");
  }

  @Test
  void aCardSavedWithAByteOrderMarkLoads() throws IOException {
    // Windows editors start UTF-8 files with U+FEFF; it is not part of the JSON
    Path version = copyModel("bom");
    Path card = version.resolve(Contract.MODEL_CARD);
    Files.writeString(card, "\uFEFF" + Files.readString(card));
    try (Vae vae = Vae.load(version)) {
      assertEquals(MODEL.card, vae.card());
    }
  }

  @Test
  void oversizedAndNonUtf8CardsAreRefusedBeforeParsing() throws IOException {
    Path big = copyModel("big");
    Files.writeString(big.resolve(Contract.MODEL_CARD), " ".repeat((int) ModelLoader.MAX_CARD_BYTES + 1));
    refused(big, "a model card is at most");
    Path binary = copyModel("binary");
    Files.write(binary.resolve(Contract.MODEL_CARD), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
    refused(binary, "not UTF-8");
  }

  @Test
  void aCardThatDisagreesWithTheGraphIsOneSentence() throws IOException {
    assertCard(c -> c.replace("[28, 28, 1]", "[32, 32, 1]"), "the graph takes images of shape");
    assertCard(c -> c.replace("\"latent_dim\": 8", "\"latent_dim\": 9"), "latent_dim 9");
    // an mse card over a bernoulli graph: the score signature has the wrong outputs
    assertCard(c -> c.replace("\"likelihood\": \"bernoulli\"", "\"likelihood\": \"mse\""),
        "signature 'score' has outputs");
  }

  @Test
  void aGraphOrWeightsThatAreNoRegularFilesAreRefusedWithoutHanging() throws Exception {
    // a named pipe would block the check (or TensorFlow) forever; the test would time out instead of failing
    Path pipe = copyModel("pipe-graph");
    Files.delete(pipe.resolve(Contract.SAVED_MODEL_FILE));
    org.vae4j.internal.util.SafeFilesTest.mkfifo(pipe.resolve(Contract.SAVED_MODEL_FILE));
    refused(pipe, "is a named pipe (FIFO), not a regular file");
    Path outside = copyModel("linked-graph");
    Path elsewhere = Files.copy(outside.resolve(Contract.SAVED_MODEL_FILE), dir.resolve("elsewhere.pb"));
    Files.delete(outside.resolve(Contract.SAVED_MODEL_FILE));
    Files.createSymbolicLink(outside.resolve(Contract.SAVED_MODEL_FILE), elsewhere);
    refused(outside, "outside");
    Path weights = copyModel("pipe-weights");
    Path data = weights.resolve("variables/variables.data-00000-of-00001");
    Files.delete(data);
    org.vae4j.internal.util.SafeFilesTest.mkfifo(data);
    refused(weights, "variables.data-00000-of-00001 is not a regular file");
    Path linkedFolder = copyModel("linked-weights");
    Path away = dir.resolve("away-variables");
    Files.move(linkedFolder.resolve("variables"), away);
    Files.createSymbolicLink(linkedFolder.resolve("variables"), away);
    refused(linkedFolder, "is a symbolic link");
  }

  @Test
  void aGarbageGraphIsOneSentenceTrustedOrNot() throws IOException {
    Path version = copyModel("garbage");
    byte[] garbage = new byte[4096];
    new java.util.Random(3).nextBytes(garbage);
    Files.write(version.resolve(Contract.SAVED_MODEL_FILE), garbage);
    refused(version, "cannot read the SavedModel");
    assertOneSentence(assertThrows(VaeException.class, () -> Vae.load(version, VaeOptions.defaults().trusting())).getMessage(),
        "cannot load the SavedModel");
    Path empty = copyModel("empty");
    Files.write(empty.resolve(Contract.SAVED_MODEL_FILE), new byte[0]);
    refused(empty, "has no meta graph tagged exactly 'serve'");
  }

  @Test
  void aSplitGraphBesideTheCheckedOneIsRefused() throws IOException {
    // TensorFlow would read saved_model.cpb instead of the saved_model.pb the trust check parsed
    Path version = copyModel("split");
    Files.write(version.resolve("saved_model.cpb"), new byte[] {1, 2, 3});
    refused(version, "holds saved_model.cpb, which TensorFlow would load instead");
  }

  @Test
  void brokenVariablesAreOneSentence() throws IOException {
    Path truncated = copyModel("truncated");
    Path data = dataFile(truncated);
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    refused(truncated, "cannot load the SavedModel");

    Path corrupt = copyModel("corrupt");
    Path corruptData = dataFile(corrupt);
    byte[] flipped = Files.readAllBytes(corruptData);
    for (int i = 0; i < flipped.length; i += 97) {
      flipped[i] ^= 0x5A;
    }
    Files.write(corruptData, flipped);
    refused(corrupt, "cannot load the SavedModel");

    Path noIndex = copyModel("no-index");
    Files.delete(noIndex.resolve("variables/variables.index"));
    refused(noIndex, "has no variables/variables.index: the model's weights are missing");
  }

  @Test
  void signaturesThatDoNotMatchTheCardAreOneSentence() throws IOException {
    Path missing = copyModel("no-log-weights");
    editGraph(missing, meta -> meta.removeSignatureDef(Contract.LOG_WEIGHTS));
    refused(missing, "lacks the 'log_weights' signature");

    Path renamed = copyModel("renamed-input");
    editGraph(renamed, meta -> {
      SignatureDef encode = meta.getSignatureDefOrThrow(Contract.ENCODE);
      TensorInfo images = encode.getInputsOrThrow(Contract.IMAGES);
      meta.putSignatureDef(Contract.ENCODE, encode.toBuilder().removeInputs(Contract.IMAGES)
          .putInputs("pixels", images).build());
    });
    refused(renamed, "signature 'encode' has inputs [pixels]");

    Path noCard = copyModel("no-card");
    Files.delete(noCard.resolve(Contract.MODEL_CARD));
    refused(noCard, "is not a vae4j model: it has no assets.extra/vae4j.json");
  }

  /** Rewrites the serving meta graph of {@code version}'s saved_model.pb. */
  private static void editGraph(Path version, java.util.function.Consumer<MetaGraphDef.Builder> edit)
      throws IOException {
    Path file = version.resolve(Contract.SAVED_MODEL_FILE);
    SavedModel.Builder model = SavedModel.parseFrom(Files.readAllBytes(file)).toBuilder();
    edit.accept(model.getMetaGraphsBuilder(0));
    Files.write(file, model.build().toByteArray());
  }

  private void assertCard(UnaryOperator<String> edit, String expected) throws IOException {
    Path version = copyModel("card-" + Math.abs(expected.hashCode()) + "-" + System.nanoTime());
    Path card = version.resolve(Contract.MODEL_CARD);
    Files.writeString(card, edit.apply(Files.readString(card)));
    refused(version, expected);
  }

  private static String refused(Path version, String expected) {
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(version).close());
    assertOneSentence(e.getMessage(), expected);
    return e.getMessage();
  }

  private static void assertOneSentence(String message, String expected) {
    assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.length() < 400, "one sentence, not a dump: " + message);
  }

  private static String cli(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MainAccess.run(args, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, code, "a bad model fails the command");
    return err.toString(StandardCharsets.UTF_8).trim();
  }

  private static Path dataFile(Path version) throws IOException {
    try (Stream<Path> files = Files.list(version.resolve("variables"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("variables.data-")).findFirst().orElseThrow();
    }
  }

  private Path copyModel(String name) throws IOException {
    return Fixtures.copyModel(MODEL.version, dir.resolve(name));
  }
}
