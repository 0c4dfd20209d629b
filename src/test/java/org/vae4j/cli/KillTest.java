package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.serve.Vae;

/**
 * Real processes, really killed: a training JVM stopped with SIGKILL at random moments and resumed ends where an
 * uninterrupted run ends; SIGTERM stops it cleanly with a checkpoint; an export killed mid-write never hides the
 * previous model.
 */
class KillTest {
  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  private static Path data;

  @BeforeAll
  static void data() throws IOException {
    data = Fixtures.idxFolder(shared.resolve("data"), 128, 32, 8, 8, false);
  }

  private static List<String> trainArgs(Path out) {
    return trainArgs(out, 3);
  }

  private static List<String> trainArgs(Path out, int epochs) {
    return List.of("train", "--data", data.toString(), "--epochs", Integer.toString(epochs), "--batch-size", "16",
        "--latent-dim", "2", "--seed", "5", "--checkpoint-every", "3", "--out", out.toString(), "--device", "cpu");
  }

  /** {@code vae} in a child JVM with this test's class path. */
  private static Process vae(Path log, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.vae4j.cli.Main"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    return pb.start();
  }

  private static boolean hasCheckpoint(Path run) {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> Files.isRegularFile(p.resolve("state.json")));
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitCheckpoint(Path run, Process p) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!hasCheckpoint(run) && p.isAlive() && System.nanoTime() < end) {
      Thread.sleep(20);
    }
  }

  /** Decodings of fixed codes and encodings of test images: what "the same model" means here. */
  private static float[][][] answers(Path model) {
    try (Vae vae = Vae.load(model)) {
      float[][] codes = {{0f, 0f}, {1.5f, -0.5f}, {-1f, 2f}};
      float[][] images = new float[4][64];
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 64; j++) {
          images[i][j] = ((i * 64 + j) % 17) / 16f;
        }
      }
      return new float[][][] {vae.decode(codes), vae.encode(images).mean()};
    }
  }

  @Test
  void aRunKilledAtRandomMomentsAndResumedEndsLikeAnUninterruptedOne() throws Exception {
    Path straight = dir.resolve("straight");
    assertEquals(0, new Main().run(trainArgs(straight).toArray(new String[0]), System.out, System.err, false));

    Path run = dir.resolve("killed");
    Random random = new Random(11);
    Process p = vae(dir.resolve("log-0.txt"), trainArgs(run));
    int kills = 0;
    for (int round = 1; round <= 3; round++) {
      awaitCheckpoint(run, p);
      Thread.sleep(random.nextInt(1500));
      if (!p.isAlive()) {
        break;
      }
      p.destroyForcibly(); // SIGKILL: no chance to write anything more
      p.waitFor();
      kills++;
      p = vae(dir.resolve("log-" + round + ".txt"), List.of("train", "--resume", run.toString()));
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the last part finishes");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log-" + kills + ".txt")));
    assertTrue(kills >= 1, "killed at least once");
    float[][][] want = answers(straight.resolve("savedmodel"));
    float[][][] got = answers(run.resolve("savedmodel"));
    for (int k = 0; k < want.length; k++) {
      for (int i = 0; i < want[k].length; i++) {
        assertArrayEquals(want[k][i], got[k][i], 1e-4f, "output " + k + " row " + i + " after " + kills + " kills");
      }
    }
    // every epoch is logged once, however often it was interrupted
    assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size());
  }

  @Test
  void sigtermFinishesTheStepWritesACheckpointAndSaysHowToResume() throws Exception {
    Path run = dir.resolve("term");
    Path log = dir.resolve("term.txt");
    // 400 epochs of 8 steps: far longer than the moment the signal takes to arrive
    Process p = vae(log, trainArgs(run, 400));
    awaitCheckpoint(run, p);
    Thread.sleep(200);
    assertTrue(p.isAlive(), "still training when the signal is sent");
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(log);
    assertEquals(TrainCommand.INTERRUPTED, p.exitValue(), out);
    assertTrue(out.contains("SIGTERM received") || out.contains("TERM received"), out);
    assertTrue(out.contains("resume with: vae train --resume " + run), out);
    assertTrue(!Files.exists(run.resolve("savedmodel")), "nothing is exported by a stopped run");
    // the checkpoint written on the way out is where a resumed run starts
    Process resumed = vae(dir.resolve("term-resumed.txt"), List.of("train", "--resume", run.toString()));
    awaitResumeLine(dir.resolve("term-resumed.txt"), resumed);
    resumed.destroyForcibly();
    resumed.waitFor();
    String again = Files.readString(dir.resolve("term-resumed.txt"));
    long stoppedAt = Long.parseLong(out.replaceAll("(?s).*stopped at step ([\\d,]+).*", "$1").replace(",", ""));
    assertTrue(again.contains(String.format("from step-%010d: step %,d,", stoppedAt, stoppedAt)), out + again);
  }

  private static void awaitResumeLine(Path log, Process p) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.isAlive() && System.nanoTime() < end && !Files.readString(log).contains("resuming ")) {
      Thread.sleep(20);
    }
  }

  @Test
  void anExportKilledMidWriteNeverHidesThePreviousModel() throws Exception {
    Path run = dir.resolve("exported");
    assertEquals(0, new Main().run(trainArgs(run).toArray(new String[0]), System.out, System.err, false));
    Path base = run.resolve("savedmodel");
    float[][][] v1 = answers(base.resolve("1"));
    Random random = new Random(5);
    int midWrite = 0;
    for (int attempt = 0; attempt < 4; attempt++) {
      Process p = vae(dir.resolve("export-" + attempt + ".txt"), List.of("export", "--run", run.toString()));
      // kill it while its hidden temporary version folder is being written
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (p.isAlive() && leftovers(base).isEmpty() && System.nanoTime() < end) {
        Thread.sleep(1);
      }
      Thread.sleep(random.nextInt(30));
      boolean caught = p.isAlive();
      p.destroyForcibly();
      p.waitFor();
      if (caught && !leftovers(base).isEmpty()) {
        midWrite++;
      }
      // whatever moment the kill hit, the base folder serves a complete model: version 1, or a finished newer one
      float[][][] now = answers(base);
      for (int k = 0; k < v1.length; k++) {
        for (int i = 0; i < v1[k].length; i++) {
          // exact: the same weights in the same graph, called with the same shapes in this process
          assertArrayEquals(v1[k][i], now[k][i], 0f, "every version holds the same weights");
        }
      }
    }
    assertTrue(midWrite > 0, "at least one kill hit an export mid-write");
    try (Stream<Path> children = Files.list(base)) {
      for (Path version : children.filter(c -> c.getFileName().toString().matches("\\d+")).toList()) {
        Vae.load(version).close(); // a visible version folder is always complete
      }
    }
    // the next export under the run's lock clears what the killed ones left
    assertEquals(0, new Main().run(new String[] {"export", "--run", run.toString()}, System.out, System.err, false));
    assertEquals(List.of(), leftovers(base));
  }

  private static List<Path> leftovers(Path base) throws IOException {
    try (Stream<Path> children = Files.list(base)) {
      return children.filter(c -> c.getFileName().toString().startsWith(".")).toList();
    }
  }
}
