package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.contract.ModelCard;
import org.vae4j.internal.json.Json;

/** The command line as a user meets it: exit codes, single-line errors, files written. */
class MainTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run vae(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A usage error: exit code 2 and one line naming {@code fragment}, no stack trace. */
  static void assertUsageError(Run r, String fragment) {
    assertOneLineError(r, Main.USAGE, fragment);
  }

  private static void assertOneLineError(Run r, int code, String fragment) {
    assertEquals(code, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    assertTrue(r.err().contains(fragment), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void helpListsEveryCommandAndEachCommandHasHelp() {
    Run r = vae("--help");
    assertEquals(0, r.code());
    for (String c : new String[] {"train", "sample", "reconstruct", "manifold", "scatter", "interpolate",
        "evaluate", "encode", "export", "info", "bench"}) {
      assertTrue(r.out().contains(c), c);
      Run help = vae(c, "--help");
      assertEquals(0, help.code(), c);
      assertTrue(help.out().contains("usage: vae " + c), help.out());
    }
    Run train = vae("train", "--help");
    for (String option : new String[] {"--data", "--epochs", "--batch-size", "--latent-dim", "--learning-rate",
        "--seed", "--limit", "--out", "--device"}) {
      assertTrue(train.out().contains(option), option);
    }
    assertEquals(2, vae().code());
  }

  @Test
  void userMistakesGetOneLineAndANonZeroExit() {
    assertOneLineError(vae("fly"), 2, "unknown command 'fly'");
    assertOneLineError(vae("serve"), 2, "give at least one --model [NAME=]DIR");
    assertOneLineError(vae("serve", "--model", "no/such/folder"), 2, "is not a folder");
    assertOneLineError(vae("serve", "--model", "savedmodels/mnist-z2", "--port", "70000"), 2, "--port");
    assertOneLineError(vae("serve", "--model", "bad name=savedmodels/mnist-z2"), 2, "a model name is letters");
    assertOneLineError(vae("train", "--epoch", "3"), 2, "--epoch");
    assertOneLineError(vae("train", "--epochs", "three"), 2, "--epochs must be a whole number, got 'three'");
    assertOneLineError(vae("train", "--epochs", "0"), 2, "--epochs must be between 1 and 100000, got 0");
    assertOneLineError(vae("train", "--learning-rate", "-1"), 2, "--learning-rate must be a positive number");
    assertOneLineError(vae("train", "--device", "tpu"), 2, "--device must be cpu, gpu or auto");
    assertOneLineError(vae("train", "--data", dir.resolve("absent").toString(), "--out",
        dir.resolve("o").toString()), 1, "does not exist");
    assertOneLineError(vae("sample", "--png", "x.png"), 2, "--model is required");
    assertOneLineError(vae("sample", "--model", dir.resolve("none").toString(), "--png", "x.png"), 1,
        "does not exist");
    assertOneLineError(vae("info", "--model", dir.toString()), 1, "holds no SavedModel");
    assertOneLineError(vae("train", "stray"), 2, "unexpected argument 'stray'");
    assertOneLineError(vae("train", "--learning-rate", "20"), 2, "--learning-rate must be at most 10");
    assertOneLineError(vae("train", "--hidden", "64"), 2, "--hidden applies only with --architecture mlp");
    assertOneLineError(vae("train", "--sigma", "0.1"), 2, "--sigma applies only with --likelihood gaussian");
    assertOneLineError(vae("train", "--likelihood", "poisson"), 2, "bernoulli, gaussian, gaussian-learned, mse or logistic");
    assertOneLineError(vae("train", "--architecture", "resnet"), 2, "--architecture must be conv or mlp");
    assertOneLineError(vae("train", "--kl-anneal", "linear", "--kl-balance", "0.001"), 2,
        "--kl-balance and --kl-anneal");
    assertOneLineError(vae("train", "--kl-balance", "0.001", "--kl-weight", "2"), 2, "--kl-weight applies only");
    assertOneLineError(vae("train", "--kl-warmup-steps", "10"), 2, "applies only with --kl-anneal");
    assertOneLineError(vae("train", "--momentum", "0.5"), 2, "--momentum applies only with --optimizer momentum");
    assertOneLineError(vae("train", "--optimizer", "lbfgs"), 2, "adam, adamax, sgd, momentum or rmsprop");
    assertOneLineError(vae("train", "--clip-norm", "-1"), 2, "--clip-norm must be 0 or a positive number");
    assertOneLineError(vae("train", "--mc-samples", "0"), 2, "--mc-samples must be between 1 and 1000");
    assertOneLineError(vae("train", "--hidden", "512,x", "--architecture", "mlp"), 2, "comma-separated");
    assertOneLineError(vae("train", "--binarize", "maybe"), 2, "none, dynamic or static");
    assertOneLineError(vae("train", "--stddev", "relu"), 2, "softplus or exp");
    assertOneLineError(vae("train", "--lr-decay-rate", "0.9"), 2, "applies only with --lr-schedule exponential");
    assertOneLineError(vae("train", "--kl-balance", "0.001", "--likelihood", "gaussian"), 2,
        "--kl-balance applies only with --likelihood bernoulli, logistic or mse");
    assertOneLineError(vae("train", "--kl-balance", "0.5"), 2, "--kl-balance must be between 0 and 0.01");
    assertOneLineError(vae("train", "--conv-channels", "64,128,256"), 1, "a conv stack of 3 levels needs image sides"
        + " divisible by 8, got 28x28x1; give fewer levels in --conv-channels");
    assertOneLineError(vae("train", "--architecture", "mlp", "--conv-dense", "0"), 2,
        "--conv-dense applies only with --architecture conv");
    assertOneLineError(vae("train", "--train-samples", "3"), 2, "--train-samples applies only with --objective iwae");
    assertOneLineError(vae("train", "--objective", "iwae", "--kl-weight", "2"), 2,
        "--objective iwae is a lower limit of log p(x) itself: it takes no --kl-weight other than 1");
    assertOneLineError(vae("train", "--objective", "iwae", "--mc-samples", "2"), 2,
        "--mc-samples applies only with --objective elbo");
    assertOneLineError(vae("train", "--likelihood", "gaussian", "--sigma", "1e-9", "--out", dir.resolve("s").toString()),
        1, "--sigma must be between");
  }

  @Test
  void anMseMlpRunReportsALossNotAnElbo() throws IOException {
    Path data = Fixtures.idxFolder(dir.resolve("mse-data"), 64, 16, 6, 6, false);
    Path out = dir.resolve("mse-run");
    Run r = vae("train", "--data", data.toString(), "--architecture", "mlp", "--hidden", "32,16", "--likelihood",
        "mse", "--latent-dim", "1", "--epochs", "2", "--batch-size", "16", "--kl-anneal", "linear",
        "--kl-warmup-steps", "5", "--optimizer", "momentum", "--momentum", "0.5", "--learning-rate", "0.01",
        "--lr-schedule", "cosine", "--clip-norm", "10", "--mc-samples", "2", "--out", out.toString(),
        "--device", "cpu");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("train loss") && r.out().contains("SE") && !r.out().contains("ELBO"), r.out());
    assertTrue(r.out().contains(" w ") && r.out().contains(" lr "), r.out());
    assertTrue(Files.readAllLines(out.resolve("metrics.csv")).get(0).startsWith("epoch,train_loss,train_squared_error"));
    ModelCard c = ModelCard.fromJson(Files.readString(out.resolve("savedmodel/1/assets.extra/vae4j.json")), "card");
    assertEquals("mse", c.likelihood());
    assertEquals("mlp", c.architecture());
    assertTrue(c.metrics().containsKey("test_loss") && !c.metrics().containsKey("test_elbo"), c.metrics().toString());
    assertEquals(java.util.List.of(32L, 16L), c.model().get("hidden"));
    assertEquals("momentum", c.training().get("optimizer"));
    assertEquals(2L, ((Number) c.training().get("mc_samples")).longValue());
    Run info = vae("info", "--model", out.toString());
    assertTrue(info.out().contains("out  squared_error") && info.out().contains("out  loss"), info.out());

    // 1 latent: the manifold is a strip of decodings
    Path strip = dir.resolve("strip.png");
    Run m = vae("manifold", "--model", out.toString(), "--grid", "7", "--scale", "2", "--png", strip.toString());
    assertEquals(0, m.code(), m.err());
    BufferedImage sp = ImageIO.read(strip.toFile());
    assertEquals(7 * 6 * 2, sp.getWidth());
    assertEquals(6 * 2, sp.getHeight());
  }

  @Test
  void aDivergingRunStopsOrSkipsAsToldAndSaysWhy() throws IOException {
    Path data = Fixtures.idxFolder(dir.resolve("nan-data"), 64, 16, 6, 6, false);
    // plain SGD at rate 10 makes the gradients infinite within a few steps
    List<String> args = List.of("train", "--data", data.toString(), "--architecture", "mlp", "--hidden", "16",
        "--latent-dim", "2", "--epochs", "3", "--batch-size", "16", "--optimizer", "sgd", "--learning-rate", "10",
        "--device", "cpu");
    List<String> stop = new java.util.ArrayList<>(args);
    stop.addAll(List.of("--out", dir.resolve("nan-stop").toString(), "--checkpoint-every", "1"));
    Run r = vae(stop.toArray(new String[0]));
    assertOneLineError(r, 1, "(the weights were left as they were); likely causes: a learning rate too large");
    assertTrue(r.err().contains("became Infinity at step") || r.err().contains("became NaN at step"), r.err());
    assertFalse(Files.exists(dir.resolve("nan-stop/savedmodel")), "nothing exported");
    long bad = Long.parseLong(r.err().replaceAll("(?s).* at step (\\d+) .*", "$1").strip());
    try (var steps = Files.list(dir.resolve("nan-stop/checkpoints"))) {
      assertEquals(String.format("step-%010d", bad - 1), steps.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("step-")).sorted().reduce((a, b) -> b).orElseThrow(),
          "the newest checkpoint is the last good state");
    }

    List<String> skip = new java.util.ArrayList<>(args);
    skip.addAll(List.of("--out", dir.resolve("nan-skip").toString(), "--on-nan", "skip-batch"));
    Run s = vae(skip.toArray(new String[0]));
    assertEquals(0, s.code(), s.err());
    assertTrue(s.err().contains("vae: skipped a batch at step"), s.err());
    assertFalse(s.err().contains("\tat "), s.err());
    ModelCard c = ModelCard.fromJson(Files.readString(dir.resolve("nan-skip/savedmodel/1/assets.extra/vae4j.json")),
        "card");
    long skipped = s.err().lines().filter(l -> l.startsWith("vae: skipped a batch")).count();
    assertEquals(skipped, ((Number) c.training().get("skipped_batches")).longValue(), "the card counts them");
  }

  @Test
  void aRunExportedWhileInterruptedResumesIntoTheNextVersion() throws IOException {
    Path data = Fixtures.idxFolder(dir.resolve("resume-data"), 48, 16, 6, 6, false);
    Path run = dir.resolve("resume-run");
    Run first = vae("train", "--data", data.toString(), "--architecture", "mlp", "--hidden", "16", "--latent-dim",
        "2", "--epochs", "2", "--batch-size", "16", "--out", run.toString(), "--device", "cpu");
    assertEquals(0, first.code(), first.err());
    // as if killed during epoch 2: its checkpoint and the export never happened
    Path checkpoints = run.resolve("checkpoints");
    try (var steps = Files.list(checkpoints)) {
      Path last = steps.filter(p -> p.getFileName().toString().startsWith("step-")).sorted()
          .reduce((a, b) -> b).orElseThrow();
      org.vae4j.internal.util.Files2.deleteRecursively(last);
    }
    org.vae4j.internal.util.Files2.deleteRecursively(run.resolve("savedmodel"));

    try (org.vae4j.internal.util.FolderLock held = org.vae4j.internal.util.FolderLock.acquire(run, "testing")) {
      assertOneLineError(vae("train", "--resume", run.toString()), 1, "another vae4j process is using " + run);
      assertOneLineError(vae("export", "--run", run.toString()), 1, "another vae4j process is using " + run);
    }
    assertEquals(0, vae("export", "--run", run.toString()).code(), "the interrupted run's model, as version 1");
    Run resumed = vae("train", "--resume", run.toString());
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("this run's model is version 2"), resumed.out());
    assertTrue(Files.isRegularFile(run.resolve("savedmodel/2/saved_model.pb")));
    assertOneLineError(vae("train", "--resume", run.toString()), 1,
        "has finished already: its model is " + run.resolve("savedmodel/2"));
  }

  @Test
  void aFolderOfPicturesTrainsAndExportsItsShape() throws IOException {
    Path pics = Fixtures.pictureFolder(dir.resolve("pics"), 3, 12, 12, 8, false);
    Path out = dir.resolve("pics-run");
    Path cache = dir.resolve("cache");
    Run r = vae("train", "--data", pics.toString(), "--epochs", "1", "--batch-size", "8", "--latent-dim", "2",
        "--out", out.toString(), "--device", "cpu", "--cache-dir", cache.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("skipped 1 file") && r.err().contains("labels: class-a, class-b, class-c"), r.err());
    assertTrue(r.err().contains("decoded 37 pictures of " + pics + " into the cache " + cache), r.err());
    ModelCard c = ModelCard.fromJson(Files.readString(out.resolve("savedmodel/1/assets.extra/vae4j.json")), "card");
    assertEquals(List.of(12, 8, 1), java.util.Arrays.stream(c.imageShape()).boxed().toList());
    // the model's own folder is found again for evaluation, at the model's size: the same options, so the cache
    Run eval = vae("evaluate", "--model", out.toString(), "--importance-samples", "0", "--cache-dir",
        cache.toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.err().contains("read 37 pictures of " + pics + " from the cache " + cache), eval.err());
    Run plain = vae("evaluate", "--model", out.toString(), "--importance-samples", "0", "--no-cache");
    assertEquals(0, plain.code(), plain.err());
    assertFalse(plain.err().contains("cache"), plain.err());
    assertEquals(eval.out().lines().filter(l -> l.startsWith("test -ELBO")).toList(),
        plain.out().lines().filter(l -> l.startsWith("test -ELBO")).toList(), "the same pictures either way");
    assertOneLineError(vae("evaluate", "--model", out.toString(), "--no-cache", "--cache-dir", "x"), 2,
        "--no-cache and --cache-dir contradict each other");
    assertOneLineError(vae("train", "--data", pics.toString(), "--format", "images", "--strict", "--out",
        dir.resolve("strict").toString()), 1, "--strict");
  }

  @Test
  void colorPicturesTrainTheConvModelAndSampleInColor() throws IOException {
    Path pics = Fixtures.pictureFolder(dir.resolve("rgb"), 2, 10, 32, 32, true);
    Path out = dir.resolve("rgb-run");
    Run r = vae("train", "--data", pics.toString(), "--epochs", "1", "--batch-size", "6", "--latent-dim", "4",
        "--out", out.toString(), "--device", "cpu");
    assertEquals(0, r.code(), r.err());
    ModelCard c = ModelCard.fromJson(Files.readString(out.resolve("savedmodel/1/assets.extra/vae4j.json")), "card");
    assertEquals(List.of(32, 32, 3), java.util.Arrays.stream(c.imageShape()).boxed().toList());
    assertTrue(hasColor(ImageIO.read(out.resolve("samples.png").toFile())), "the sample grid has colored pixels");

    // 4 latents: a manifold over two chosen dimensions (the others at 0), in color
    Path manifold = dir.resolve("rgb-manifold.png");
    Run m = vae("manifold", "--model", out.toString(), "--grid", "3", "--dims", "1,3", "--scale", "1", "--png",
        manifold.toString());
    assertEquals(0, m.code(), m.err());
    BufferedImage mp = ImageIO.read(manifold.toFile());
    assertEquals(3 * 32, mp.getWidth());
    assertEquals(3 * 32, mp.getHeight());
    assertTrue(hasColor(mp), "the manifold has colored pixels");
  }

  private static boolean hasColor(BufferedImage image) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if (((rgb >> 16) & 0xff) != (rgb & 0xff)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void namedDataSetsAreListedAndUnknownNamesRefused() {
    Run list = vae("datasets");
    assertEquals(0, list.code());
    for (String name : new String[] {"mnist", "fashion-mnist", "kmnist", "emnist-digits", "emnist-letters",
        "cifar10", "svhn"}) {
      assertTrue(list.out().contains(name), name);
    }
    assertOneLineError(vae("train", "--dataset", "imagenet"), 2, "--dataset must be one of");
    assertOneLineError(vae("train", "--dataset", "cifar10", "--data", dir.toString()), 1,
        "does not hold cifar-10-binary.tar.gz, a file of cifar10");
  }

  @Test
  void verboseAddsTheStackTrace() {
    Run r = vae("info", "--model", dir.toString(), "--verbose");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void benchNamesItsMachineAndProfilesAStep() throws IOException {
    Path json = dir.resolve("bench.json");
    Run r = vae("bench", "--image", "8x8x1", "--latent-dim", "2", "--batch-size", "4", "--steps", "2",
        "--matmul-size", "64", "--seconds", "0.05", "--threads", "1", "--profile", "2", "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("machine ") && r.out().contains("oneDNN"), r.out());
    assertTrue(r.out().contains("1 intra-op, 1 inter-op"), r.out());
    assertTrue(r.out().contains("Vae / raw = ") && r.out().contains("model load"), r.out());
    assertTrue(r.out().contains("profile of 2 traced training steps") && r.out().contains("MatMul"), r.out());
    Map<String, Object> figures = Json.parseObject(Files.readString(json));
    assertTrue(figures.get("machine") instanceof String && figures.get("profile") instanceof List<?> ops
        && !ops.isEmpty(), figures.toString());
    assertTrue(((Number) figures.get("encode_batch1_vae_over_raw")).doubleValue() > 0);
  }

  @Test
  void trainRefusesAFolderThatHoldsSomething() throws IOException {
    Files.writeString(dir.resolve("keep.txt"), "mine");
    assertOneLineError(vae("train", "--out", dir.toString()), 2, "exists and is not empty");
    assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
  }

  @Test
  void trainOnAnIdxFolderExportsAModelAndPictures() throws IOException {
    Path data = Fixtures.idxFolder(dir.resolve("data"), 96, 24, 8, 8, true);
    Path out = dir.resolve("run");
    Run r = vae("train", "--data", data.toString(), "--epochs", "2", "--batch-size", "32", "--latent-dim", "2",
        "--seed", "5", "--out", out.toString(), "--device", "cpu", "--snapshots");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("epoch 1/2") && r.out().contains("epoch 2/2"), r.out());
    assertTrue(r.out().contains("test -ELBO"), r.out());
    Path card = out.resolve("savedmodel/1/assets.extra/vae4j.json");
    ModelCard c = ModelCard.fromJson(Files.readString(card), card.toString());
    assertEquals(2, c.latentDim());
    assertEquals(8, c.imageShape()[0]);
    assertEquals(2L, ((Number) c.training().get("epochs")).longValue());
    assertTrue(c.metrics().get("test_elbo") < 0);
    assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size(), "header and one line per epoch");
    List<String> jsonLines = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(2, jsonLines.size());
    assertEquals(2L, Json.parseObject(jsonLines.get(1)).get("epoch"));
    assertEquals(((Number) Json.parseObject(jsonLines.get(1)).get("test_elbo")).doubleValue(),
        c.metrics().get("test_elbo"), 1e-9, "the card repeats the exported epoch's test ELBO, same noise");
    assertEquals(2, ((List<?>) Json.parseObject(jsonLines.get(1)).get("test_kl_per_dimension")).size());
    Path events;
    try (var files = Files.list(out)) {
      events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
          .orElseThrow();
    }
    List<org.tensorflow.proto.Event> log = org.vae4j.internal.train.EventFile.read(events);
    assertEquals(1 + 2 * 2, log.size(), "file version, then scalars and the sample grid per epoch");
    assertEquals(6, log.get(3).getStep(), "x axis: updates made (3 batches of 32 per epoch)");
    assertTrue(log.get(3).getSummary().getValueList().stream().anyMatch(v -> v.getTag().equals("test/elbo")));
    assertTrue(log.get(4).getSummary().getValue(0).hasImage());
    assertTrue(Files.exists(out.resolve("snapshots/epoch-001.png")));
    assertTrue(Files.exists(out.resolve("snapshots/epoch-002.png")));
    try (var in = ImageIO.createImageInputStream(out.resolve("snapshots.gif").toFile())) {
      var reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      assertEquals(2, reader.getNumImages(true), "one frame per epoch");
      assertEquals((8 * (8 + 1) + 1) * 2, reader.read(0).getWidth());
      reader.dispose();
    }
    assertTrue(Files.exists(out.resolve("spec.json")));
    BufferedImage samples = ImageIO.read(out.resolve("samples.png").toFile());
    // 8 columns of 8-pixel images with a 1-pixel gap, scaled by 2
    assertEquals((8 * (8 + 1) + 1) * 2, samples.getWidth());
    assertEquals((8 * (8 + 1) + 1) * 2, samples.getHeight());
    assertTrue(Files.exists(out.resolve("reconstructions.png")));

    Run info = vae("info", "--model", out.toString());
    assertEquals(0, info.code(), info.err());
    assertTrue(info.out().contains("\"latent_dim\": 2"), info.out());
    for (String sig : new String[] {"encode", "decode", "reconstruct", "sample", "score", "serving_default"}) {
      assertTrue(info.out().contains("  " + sig + "  (tensorflow/serving/predict)"), sig);
    }
    assertTrue(info.out().contains("in   images: DT_FLOAT [-1, 8, 8, 1]"), info.out());

    Path png = dir.resolve("grid.png");
    Run sample = vae("sample", "--model", out.resolve("savedmodel").toString(), "--count", "6", "--seed", "3",
        "--png", png.toString(), "--columns", "3", "--scale", "1");
    assertEquals(0, sample.code(), sample.err());
    BufferedImage grid = ImageIO.read(png.toFile());
    assertEquals(3 * 9 + 1, grid.getWidth());
    assertEquals(2 * 9 + 1, grid.getHeight());

    Path manifold = dir.resolve("manifold.png");
    Run m = vae("manifold", "--model", out.toString(), "--grid", "5", "--scale", "1", "--png", manifold.toString());
    assertEquals(0, m.code(), m.err());
    BufferedImage mp = ImageIO.read(manifold.toFile());
    assertEquals(5 * 8, mp.getWidth(), "5 cells of 8 pixels, no gaps");
    assertEquals(5 * 8, mp.getHeight());
    assertOneLineError(vae("manifold", "--model", out.toString(), "--dims", "0,2", "--png", manifold.toString()), 2,
        "--dims must name two different latent dimensions below 2");

    // evaluation through the public API: ELBO terms, importance-sampled log-likelihood, per-image scores
    Path scores = dir.resolve("scores.csv");
    Run eval = vae("evaluate", "--model", out.toString(), "--importance-samples", "50", "--importance-limit", "10",
        "--scores", scores.toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("test -ELBO:") && eval.out().contains("test NLL:"), eval.out());
    List<String> rows = Files.readAllLines(scores);
    assertEquals("index,label,elbo,reconstruction_error,kl,log_likelihood", rows.get(0));
    assertEquals(25, rows.size(), "a header and one row per test image");
    assertTrue(!rows.get(10).endsWith(",") && rows.get(11).endsWith(","), "log p(x) for the first 10 images only");
    ModelCard evaluated = ModelCard.fromJson(Files.readString(card), card.toString());
    assertTrue(evaluated.metrics().get("test_log_likelihood") >= evaluated.metrics().get("test_elbo") - 1,
        evaluated.metrics().toString());
    assertEquals(50.0, evaluated.metrics().get("test_importance_samples"));
    assertEquals(10.0, evaluated.metrics().get("test_importance_images"));
    assertEquals(24.0, evaluated.metrics().get("test_images"));
    assertTrue(evaluated.metrics().get("test_log_likelihood_std_error") > 0);
    Map<String, Object> report = Json.parseObject(Files.readString(
        out.resolve("savedmodel/1/assets.extra/evaluation.json")));
    assertEquals(24L, report.get("images"));

    Path latent = dir.resolve("latent.csv");
    Run enc = vae("encode", "--model", out.toString(), "--csv", latent.toString(), "--limit", "5");
    assertEquals(0, enc.code(), enc.err());
    List<String> encoded = Files.readAllLines(latent);
    assertEquals("index,label,mean_0,mean_1,stddev_0,stddev_1", encoded.get(0));
    assertEquals(6, encoded.size());

    Path scatter = dir.resolve("scatter.png");
    Run sc = vae("scatter", "--model", out.toString(), "--png", scatter.toString(), "--size", "300");
    assertEquals(0, sc.code(), sc.err());
    BufferedImage sp = ImageIO.read(scatter.toFile());
    assertEquals(300 + 110, sp.getWidth(), "the plot and its legend strip");
    assertEquals(300, sp.getHeight());
    assertEquals(0, vae("scatter", "--model", out.toString(), "--png", scatter.toString(), "--pca").code());

    Path line = dir.resolve("line.png");
    Run ip = vae("interpolate", "--model", out.toString(), "--png", line.toString(), "--from", "2", "--to", "5",
        "--steps", "6", "--scale", "1");
    assertEquals(0, ip.code(), ip.err());
    assertEquals(8 * 9 + 1, ImageIO.read(line.toFile()).getWidth(), "both ends and 6 decodings");
    assertOneLineError(vae("interpolate", "--model", out.toString(), "--png", line.toString(), "--to", "999"), 2,
        "--from and --to must be test image indexes below 24");

    Run again = vae("export", "--run", out.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(Files.isRegularFile(out.resolve("savedmodel/2/saved_model.pb")));
    ModelCard reexported = ModelCard.fromJson(Files.readString(out.resolve("savedmodel/2/assets.extra/vae4j.json")),
        "v2");
    assertEquals(evaluated.metrics(), reexported.metrics(), "figures carry over from the latest export");
    assertEquals(evaluated.parameters(), reexported.parameters());
    assertOneLineError(vae("export", "--run", dir.toString()), 1, "is not a training run");
    assertOneLineError(vae("export", "--run", out.toString(), "--step", "0"), 2,
        "--step must be a positive whole number, got 0");
    long first;
    try (var steps = Files.list(out.resolve("checkpoints"))) {
      first = steps.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-")).sorted().findFirst()
          .map(n -> Long.parseLong(n.substring(5))).orElseThrow();
    }
    Run step = vae("export", "--run", out.toString(), "--step", Long.toString(first), "--model-version", "7");
    assertEquals(0, step.code(), step.err());
    assertEquals(first, ((Number) ModelCard.fromJson(Files.readString(out.resolve(
        "savedmodel/7/assets.extra/vae4j.json")), "v7").training().get("exported_steps")).longValue());
    assertOneLineError(vae("export", "--run", out.toString(), "--step", "999999"), 1,
        "--step 999999 is not a checkpoint " + out + " kept; it kept those after updates ");

    Path pairs = dir.resolve("pairs.png");
    Run rec = vae("reconstruct", "--model", out.toString(), "--data", data.toString(), "--count", "4",
        "--columns", "2", "--scale", "1", "--png", pairs.toString());
    assertEquals(0, rec.code(), rec.err());
    BufferedImage p = ImageIO.read(pairs.toFile());
    assertEquals(4 * 9 + 1, p.getWidth());
    assertEquals(2 * 9 + 1, p.getHeight());

    // without --data, reconstruct uses the folder the model was trained on
    Run own = vae("reconstruct", "--model", out.toString(), "--count", "2", "--png", pairs.toString());
    assertEquals(0, own.code(), own.err());

    Run mismatch = vae("reconstruct", "--model", out.toString(), "--data", dir.resolve("mnist-like").toString(),
        "--png", pairs.toString());
    assertOneLineError(mismatch, 1, "does not exist");

    Run intoFolder = vae("sample", "--model", out.toString(), "--png", dir.toString());
    assertOneLineError(intoFolder, 1, "cannot use " + dir);
  }
}
