package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.Given;
import org.vae4j.internal.model.InferenceGraph;
import org.vae4j.internal.util.Files2;

class VaeTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();

  @TempDir
  Path dir;

  @Test
  void loadsAVersionFolderOrTheHighestVersionOfABase() throws IOException {
    try (Vae vae = Vae.load(MODEL.version)) {
      assertEquals(MODEL.version, vae.path());
      assertArrayEquals(new int[] {28, 28, 1}, vae.imageShape());
      assertEquals(8, vae.latentDim());
      assertEquals(784, vae.imageSize());
    }
    Path base = dir.resolve("base");
    Files.createDirectories(base);
    copy(MODEL.version, base.resolve("3"));
    copy(MODEL.version, base.resolve("12"));
    Files.createDirectories(base.resolve("99")); // no saved_model.pb: not a version
    try (Vae vae = Vae.load(base)) {
      assertEquals(base.resolve("12"), vae.path());
    }
    copy(MODEL.version, base.resolve("0013"));
    try (Vae vae = Vae.load(base)) {
      assertEquals(base.resolve("0013"), vae.path(), "the folder as named on disk");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void answersEveryContractCallWithConsistentShapes() {
    float[][] images = MODEL.data.test().images(0, 5);
    try (Vae vae = Vae.load(MODEL.base)) {
      Vae.Encoding enc = vae.encode(images);
      assertEquals(5, enc.mean().length);
      assertEquals(8, enc.stddev()[0].length);
      float[][] recon = vae.reconstruct(images);
      float[][] decoded = vae.decode(enc.mean());
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(decoded[i], recon[i], 1e-5f);
      }
      Vae.Samples s = vae.sample(3, 77);
      assertEquals(3, s.images().length);
      assertArrayEquals(s.images()[2], vae.sample(3, 77).images()[2]);
      Vae.Scores scores = vae.likelihood().orElseThrow().score(images);
      assertEquals(5, scores.elbo().length);
      for (int i = 0; i < 5; i++) {
        assertEquals(scores.reconstructionLogLikelihood()[i] - scores.kl()[i], scores.elbo()[i], 1e-3);
      }
      assertEquals(0, vae.encode(new float[0][]).mean().length);
      assertEquals(0, vae.sample(0, 1).images().length);
    }
  }

  @Test
  void largeInputsAreSplitWithoutChangingAnswers() {
    float[][] images = MODEL.data.test().images(0, Vae.CHUNK + 7);
    try (Vae vae = Vae.load(MODEL.version)) {
      float[][] all = vae.encode(images).mean();
      float[][] last = vae.encode(Arrays.copyOfRange(images, Vae.CHUNK, Vae.CHUNK + 7)).mean();
      for (int i = 0; i < 7; i++) {
        assertArrayEquals(last[i], all[Vae.CHUNK + i], 1e-4f);
      }
    }
  }

  @Test
  void badInputIsRejectedWithWhatWasExpected() {
    try (Vae vae = Vae.load(MODEL.version)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> vae.encode(new float[][] {new float[784], new float[100]}));
      assertEquals("image 1 has 100 values; this model expects 28x28x1 = 784 values in [0, 1]", e.getMessage());
      float[] nan = new float[784];
      nan[5] = Float.NaN;
      e = assertThrows(IllegalArgumentException.class, () -> vae.reconstruct(new float[][] {nan}));
      assertTrue(e.getMessage().contains("NaN at index 5"), e.getMessage());
      float[] bright = new float[784];
      bright[0] = 255f;
      e = assertThrows(IllegalArgumentException.class, () -> vae.likelihood().orElseThrow().score(new float[][] {bright}));
      assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.decode(new float[][] {new float[3]}));
      assertTrue(e.getMessage().contains("latentDim() = 8"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.encode(null));
      assertTrue(e.getMessage().contains("null"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.sample(-1, 0));
      assertTrue(e.getMessage().contains("count"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> vae.sample(Vae.MAX_SAMPLES + 1, 0));
      assertTrue(e.getMessage().contains("count"), e.getMessage());
      // still usable after rejected calls
      assertEquals(1, vae.encode(new float[][] {new float[784]}).mean().length);
    }
  }

  @Test
  void importanceSampledLogLikelihoodIsAtLeastTheElboAndRepeatable() {
    float[][] images = MODEL.data.test().images(0, 6);
    try (Vae vae = Vae.load(MODEL.version)) {
      float[] elbo = vae.likelihood().orElseThrow().score(images).elbo();
      double[] one = vae.likelihood().orElseThrow().logLikelihood(images, 1, 3);
      long[] calls = new long[1];
      double[] many = vae.likelihood().orElseThrow().importance(images, Given.NONE, 2500, 3, (done, total) -> {
        calls[0]++;
        assertTrue(done <= total && total == 6L * 2500);
      }).logLikelihood();
      assertTrue(calls[0] >= 12, "2500 samples per image take at least two calls per image: " + calls[0]);
      double meanElbo = 0;
      double meanOne = 0;
      double meanMany = 0;
      for (int i = 0; i < images.length; i++) {
        meanElbo += elbo[i] / images.length;
        meanOne += one[i] / images.length;
        meanMany += many[i] / images.length;
      }
      // K = 1 estimates the ELBO; more samples tighten the bound
      assertEquals(meanElbo, meanOne, 0.05 * Math.abs(meanElbo));
      assertTrue(meanMany > meanElbo, "log p(x) estimate " + meanMany + " above the ELBO " + meanElbo);
      // exact: the same call with the same seed on the same images in one process repeats its bits
      assertArrayEquals(many, vae.likelihood().orElseThrow().logLikelihood(images, 2500, 3), 0.0);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> vae.likelihood().orElseThrow().logLikelihood(images, 0, 1));
      assertTrue(e.getMessage().contains("samples"), e.getMessage());
    }
  }

  @Test
  void modelsWithALikelihoodHaveScoresNotSquaredErrors() {
    try (Vae vae = Vae.load(MODEL.version)) {
      assertTrue(vae.hasLikelihood());
      // the kind of scores is decided at load: a likelihood model offers the ELBO scorer and no loss scorer
      assertTrue(vae.scorer() instanceof ElboScorer);
      assertTrue(vae.likelihood().isPresent() && vae.loss().isEmpty());
    }
  }

  @Test
  void aClosedModelSaysSo() {
    Vae vae = Vae.load(MODEL.version);
    vae.close();
    vae.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> vae.encode(new float[][] {new float[784]}));
    assertEquals("this Vae is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> vae.sample(0, 1));
  }

  @Test
  void aFolderWithoutAModelIsNamed() throws IOException {
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(dir.resolve("nothing")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Files.createDirectories(dir.resolve("empty"));
    e = assertThrows(VaeException.class, () -> Vae.load(dir.resolve("empty")));
    assertTrue(e.getMessage().contains("holds no SavedModel"), e.getMessage());
  }

  @Test
  void aSavedModelWithoutACardIsNotAVae4jModel() throws IOException {
    Path copy = dir.resolve("nocard");
    copy(MODEL.version, copy);
    Files2.deleteRecursively(copy.resolve("assets.extra"));
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(copy));
    assertTrue(e.getMessage().contains("is not a vae4j model"), e.getMessage());
  }

  @Test
  void aNewerFormatIsRefused() throws IOException {
    Path copy = dir.resolve("future");
    copy(MODEL.version, copy);
    Path card = copy.resolve(Contract.MODEL_CARD);
    String json = Files.readString(card, StandardCharsets.UTF_8).replace("\"format\": 1,", "\"format\": 99,");
    Files.writeString(card, json, StandardCharsets.UTF_8);
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(copy));
    assertTrue(e.getMessage().contains("format 99") && e.getMessage().contains("upgrade"), e.getMessage());
  }

  @Test
  void aTruncatedVariablesFileFailsToLoadWithAMessage() throws IOException {
    Path copy = dir.resolve("truncated");
    copy(MODEL.version, copy);
    Path data = copy.resolve("variables/variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(bytes, bytes.length / 3));
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(copy));
    assertTrue(e.getMessage().startsWith("cannot load the SavedModel in " + copy), e.getMessage());
  }

  @Test
  void aGraphThatReadsFilesIsRefusedUnlessTrusted() throws IOException {
    Path version = dir.resolve("evil/1");
    // score's ELBO secretly depends on the contents of a file
    exportTampered(version, (tf, ig) -> tf.math.add(ig.elbo, tf.math.mul(tf.dtypes.cast(
        tf.strings.stringLength(tf.io.readFile(tf.constant("/etc/hostname"))), TFloat32.class), tf.constant(0f))));
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(version));
    assertTrue(e.getMessage().contains("ReadFile at") && e.getMessage().contains("trust"), e.getMessage());
    try (Vae trusted = Vae.load(version, VaeOptions.defaults().trusting())) {
      assertEquals(1, trusted.likelihood().orElseThrow().score(new float[][] {new float[784]}).elbo().length);
    }
    // vae4j's own exports pass untrusted: their graphs use math ops and the saver's own checkpoint ops only
    Vae.load(MODEL.version).close();
  }

  @Test
  void anInitOpThatWritesAFileIsRefusedBeforeItCanRun() throws IOException {
    Path version = dir.resolve("init/1");
    Path written = dir.resolve("written-by-the-model");
    exportTampered(version, (tf, ig) -> {
      tf.withName("evil_write").io.writeFile(tf.constant(written.toString()), tf.constant("gotcha"));
      return ig.elbo;
    });
    // make the dangling WriteFile the model's init op, which loading runs
    Path pb = version.resolve(Contract.SAVED_MODEL_FILE);
    SavedModel.Builder model = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    model.getMetaGraphsBuilder(0).putSignatureDef("__saved_model_init_op", SignatureDef.newBuilder()
        .putOutputs("__saved_model_init_op", TensorInfo.newBuilder().setName("evil_write").build()).build());
    Files.write(pb, model.build().toByteArray());

    VaeException e = assertThrows(VaeException.class, () -> Vae.load(version));
    assertTrue(e.getMessage().contains("WriteFile at 'evil_write'"), e.getMessage());
    assertTrue(Files.notExists(written), "the init op ran before the check");
    // trusted, it loads and its init op runs: the check above is what stood in the way
    Vae.load(version, VaeOptions.defaults().trusting()).close();
    assertEquals("gotcha", Files.readString(written));
  }

  /** Exports the tiny model with a score ELBO made by {@code elbo}, which may also add other ops to the graph. */
  private static void exportTampered(Path version, BiFunction<Ops, InferenceGraph, Operand<TFloat32>> elbo)
      throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      InferenceGraph ig = InferenceGraph.build(tf, MODEL.spec, 8);
      Operand<TFloat32> score = elbo.apply(tf, ig);
      Function<String, Signature.Builder> sig = key -> Signature.builder().key(key)
          .methodName(Contract.PREDICT_METHOD);
      try (Session session = new Session(g, false, null)) {
        session.restore(MODEL.checkpoint.toString());
        SavedModelBundle.exporter(version.toString()).withSession(session).withSignatures(
            sig.apply("encode").input("images", ig.images).output("mean", ig.posterior.mean())
                .output("stddev", ig.posterior.stddev()).build(),
            sig.apply("decode").input("latent", ig.latent).output("images", ig.decoded).build(),
            sig.apply("reconstruct").input("images", ig.images).output("images", ig.reconstruction).build(),
            sig.apply("sample").input("count", ig.count).input("seed", ig.seed).output("images", ig.sampledImages)
                .output("latent", ig.sampledLatent).build(),
            sig.apply("score").input("images", ig.images).output("elbo", score)
                .output("reconstruction_log_likelihood", ig.reconstructionLogLikelihood).output("kl", ig.kl).build(),
            sig.apply("log_weights").input("images", ig.images).input("samples", ig.samples)
                .input("seed", ig.seed).output("log_weights", ig.logWeights).build()).export();
      }
    }
    Files.createDirectories(version.resolve("assets.extra"));
    Files.writeString(version.resolve(Contract.MODEL_CARD), MODEL.card.toJson());
  }

  @Test
  void aShortSoakOfSixteenThreadsHasNoErrorsAndNoWrongAnswers() throws Exception {
    try (Vae vae = Vae.load(MODEL.version)) {
      org.vae4j.internal.bench.Soak.Report r = org.vae4j.internal.bench.Soak.run(vae, MODEL.data.test().images(0, 8), 16, 3, null);
      assertEquals(0, r.errors(), r.firstErrors().toString());
      assertEquals(0, r.mismatches());
      assertTrue(r.calls() >= 16, "made " + r.calls() + " calls");
      assertTrue(r.latencyMillis()[0] > 0 && r.latencyMillis()[0] <= r.latencyMillis()[2]);
      double[] rss = r.rssMegabytes();
      assertTrue(rss[0] > 0 && rss[1] > 0 && rss[2] > 0, "resident memory is read from /proc: " + Arrays.toString(rss));
      assertTrue(rss[3] >= rss[1] && rss[3] >= rss[2], "the highest sample is the highest: " + Arrays.toString(rss));
      assertEquals(1.5, org.vae4j.internal.bench.Soak.settleSeconds(3), 1e-12, "half of a short run");
      assertEquals(60, org.vae4j.internal.bench.Soak.settleSeconds(600), 1e-12, "a minute into a long one");
      assertEquals(rss[2] - rss[1], (double) r.toMap().get("rss_mb_growth_after_settling"), 1e-9);
    }
  }

  @Test
  void eightThreadsSharingOneModelGetTheSingleThreadAnswers() throws Exception {
    float[][] images = MODEL.data.test().images(0, 16);
    try (Vae vae = Vae.load(MODEL.version)) {
      float[][] mean = vae.encode(images).mean();
      float[][] recon = vae.reconstruct(images);
      float[] elbo = vae.likelihood().orElseThrow().score(images).elbo();
      float[][] samples = vae.sample(4, 5).images();
      float[][] decoded = vae.decode(mean);
      AtomicLong calls = new AtomicLong();
      long end = System.nanoTime() + 4_000_000_000L;
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          final int thread = t;
          futures.add(pool.submit(() -> {
            for (int i = 0; System.nanoTime() < end; i++) {
              switch ((thread + i) % 5) {
                case 0 -> assertTrue(Arrays.deepEquals(mean, vae.encode(images).mean()));
                case 1 -> assertTrue(Arrays.deepEquals(recon, vae.reconstruct(images)));
                case 2 -> assertArrayEquals(elbo, vae.likelihood().orElseThrow().score(images).elbo());
                case 3 -> assertTrue(Arrays.deepEquals(samples, vae.sample(4, 5).images()));
                default -> assertTrue(Arrays.deepEquals(decoded, vae.decode(mean)));
              }
              calls.incrementAndGet();
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertTrue(calls.get() >= 40, "made " + calls.get() + " calls");
    }
  }
}
