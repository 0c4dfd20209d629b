package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;

class IdxFileTest {
  @TempDir
  Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private String failure(byte[] bytes) throws IOException {
    Path p = write("bad-idx", bytes);
    VaeException e = assertThrows(VaeException.class, () -> IdxFile.read(p));
    assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void readsPlainAndGzippedFilesAlike() throws IOException {
    byte[] data = {0, 1, 2, (byte) 255, 4, 5};
    byte[] raw = Fixtures.idx(new int[] {3, 1, 2}, data);
    IdxFile.Contents plain = IdxFile.read(write("plain", raw));
    IdxFile.Contents gz = IdxFile.read(write("packed.gz", Fixtures.gzip(raw)));
    assertArrayEquals(new int[] {3, 1, 2}, plain.dims());
    assertArrayEquals(data, plain.data());
    assertArrayEquals(plain.dims(), gz.dims());
    assertArrayEquals(plain.data(), gz.data());
  }

  @Test
  void wrongMagicIsNamed() throws IOException {
    byte[] raw = Fixtures.idx(new int[] {2}, new byte[] {1, 2});
    raw[0] = 0x12;
    assertTrue(failure(raw).contains("not an idx file"));
  }

  @Test
  void nonByteTypesAreRefused() throws IOException {
    byte[] raw = Fixtures.idx(new int[] {2}, new byte[] {1, 2});
    raw[2] = 0x0D;
    assertTrue(failure(raw).contains("type 0x0d"));
  }

  @Test
  void badRankIsNamed() throws IOException {
    byte[] raw = Fixtures.idx(new int[] {2}, new byte[] {1, 2});
    raw[3] = 9;
    assertTrue(failure(raw).contains("rank 9"));
  }

  @Test
  void truncatedHeaderAndDataAreNamed() throws IOException {
    byte[] raw = Fixtures.idx(new int[] {4, 2, 2}, new byte[16]);
    assertTrue(failure(Arrays.copyOf(raw, 7)).contains("truncated inside its header"));
    String m = failure(Arrays.copyOf(raw, raw.length - 3));
    assertTrue(m.contains("truncated") && m.contains("need 16 bytes") && m.contains("found 13"), m);
  }

  @Test
  void truncatedGzipIsNamed() throws IOException {
    byte[] gz = Fixtures.gzip(Fixtures.idx(new int[] {1000}, new byte[1000]));
    String m = failure(Arrays.copyOf(gz, gz.length / 2));
    assertTrue(m.contains("truncated") || m.contains("gzip"), m);
  }

  @Test
  void trailingBytesAreNamed() throws IOException {
    byte[] raw = Fixtures.idx(new int[] {2}, new byte[] {1, 2});
    byte[] longer = Arrays.copyOf(raw, raw.length + 5);
    assertTrue(failure(longer).contains("5 bytes after the data"));
  }

  @Test
  void zeroDimensionIsRefused() throws IOException {
    assertTrue(failure(Fixtures.idx(new int[] {0, 28, 28}, new byte[0])).contains("at least 1"));
  }

  @Test
  void aHeaderClaiming2To31ItemsSaysWhatIsWrong() throws IOException {
    byte[] header = {0, 0, 8, 3, (byte) 0x80, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};
    String m = failure(header);
    assertTrue(m.contains("declares 2147483648 items") && m.contains("more data than vae4j reads"), m);
    byte[] many = {0, 0, 8, 3, 0x10, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};
    m = failure(many);
    assertTrue(m.contains("dimension 1 of size 28 after [268435456]"), m);
    byte[] short1 = {0, 0, 8, 1, 0, 0x10, 0, 0, 1, 2, 3};
    m = failure(short1);
    assertTrue(m.contains("truncated") && m.contains("need 1048576 bytes") && m.contains("found 3"), m);
  }

  @Test
  void tooShortFileIsNamed() throws IOException {
    assertTrue(failure(new byte[] {0, 0}).contains("too short"));
  }

  @Test
  void checksumMismatchIsReported() throws IOException {
    Path p = write("sum", Fixtures.idx(new int[] {2}, new byte[] {1, 2}));
    VaeException e = assertThrows(VaeException.class, () -> IdxFile.read(p, "00".repeat(32)));
    assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("SHA-256"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path p = dir.resolve("nope");
    VaeException e = assertThrows(VaeException.class, () -> IdxFile.read(p));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
