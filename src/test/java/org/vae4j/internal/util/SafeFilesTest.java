package org.vae4j.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.VaeException;

/** Hostile files in a model folder: each refused in one sentence naming the file, quickly, without reading it. */
public class SafeFilesTest {
  @TempDir
  Path dir;

  @Test
  void readsARegularFileAndALinkThatStaysInside() throws IOException {
    Path file = Files.writeString(dir.resolve("card.json"), "{}");
    assertArrayEquals("{}".getBytes(), SafeFiles.readRegular(file, dir, 10, "model card"));
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), file);
    assertEquals("{}", SafeFiles.readUtf8(link, dir, 10, "model card"));
    assertThrows(NoSuchFileException.class, () -> SafeFiles.readRegular(dir.resolve("none"), dir, 10, "x"));
  }

  @Test
  void aNamedPipeIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("card.json");
    mkfifo(fifo);
    String m = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refused(fifo, "model card"));
    assertTrue(m.contains("named pipe") && m.contains(fifo.toString()), m);
    // a link to the pipe inside the folder is no way around it
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), fifo);
    m = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refused(link, "model card"));
    assertTrue(m.contains("not a regular file"), m);
  }

  @Test
  void aLinkToDevZeroOrOutsideTheFolderIsRefused() throws IOException {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
    Path inside = Files.createDirectories(dir.resolve("model"));
    Path zero = Files.createSymbolicLink(inside.resolve("card.json"), Path.of("/dev/zero"));
    String m = refused(zero, "model card");
    assertTrue(m.contains("outside") && m.contains("/dev/zero"), m);
    Path secret = Files.writeString(dir.resolve("secret.json"), "{}");
    Path out = Files.createSymbolicLink(inside.resolve("other.json"), secret);
    assertTrue(refused(out, "model card").contains("outside"));
    Path dangling = Files.createSymbolicLink(inside.resolve("gone.json"), dir.resolve("missing"));
    assertTrue(refused(dangling, "model card").contains("symbolic link to nothing"));
    assertTrue(refused(inside, "model card").contains("a folder"));
  }

  @Test
  void anOversizedFileIsRefusedBeforeReading() throws IOException {
    Path big = Files.write(dir.resolve("card.json"), new byte[101]);
    VaeException e = assertThrows(VaeException.class, () -> SafeFiles.readRegular(big, dir, 100, "model card"));
    assertTrue(e.getMessage().contains("is 101 bytes; a model card is at most 100 bytes"), e.getMessage());
    Path text = Files.write(dir.resolve("bad.json"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
    e = assertThrows(VaeException.class, () -> SafeFiles.readUtf8(text, dir, 100, "evaluation"));
    assertTrue(e.getMessage().contains("is not a valid evaluation: it is not UTF-8"), e.getMessage());
  }

  @Test
  void aLinkedFolderIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path version = Files.createDirectories(dir.resolve("1"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.createSymbolicLink(version.resolve("assets.extra"), elsewhere);
    VaeException e = assertThrows(VaeException.class,
        () -> SafeFiles.checkOwnFolder(version.resolve("assets.extra/evaluations"), version, "evaluation history"));
    assertTrue(e.getMessage().contains("assets.extra is a symbolic link"), e.getMessage());
    Path plain = Files.createDirectories(dir.resolve("2/assets.extra"));
    Files.writeString(plain.resolve("evaluations"), "");
    e = assertThrows(VaeException.class,
        () -> SafeFiles.checkOwnFolder(plain.resolve("evaluations"), dir.resolve("2"), "evaluation history"));
    assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
    SafeFiles.checkOwnFolder(dir.resolve("3/assets.extra/evaluations"), dir.resolve("3"), "evaluation history");
  }

  /** Makes a named pipe, or skips the test where mkfifo is missing. */
  public static void mkfifo(Path path) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(List.of("mkfifo", path.toString())).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo here: " + e.getMessage());
      return;
    }
    Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(path), "mkfifo failed");
  }

  private static String refused(Path file, String what) {
    VaeException e = assertThrows(VaeException.class, () -> SafeFiles.readRegular(file, file.getParent(), 1 << 20,
        what));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }
}
