package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;

/** Named data sets: lookup order, verified downloads from a loopback server, and each archive format. */
class NamedDatasetsTest {
  @TempDir
  Path dir;

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static NamedDatasets.Options options(Path home, boolean offline, List<String> log) {
    return new NamedDatasets.Options(home, offline, new Download(Duration.ofSeconds(5), 2, null), log::add);
  }

  @Test
  void idxFilesAreDownloadedOnceVerifiedAndThenReadFromTheCache() throws Exception {
    Path source = Fixtures.idxFolder(dir.resolve("source"), 40, 10, 8, 8, true);
    Map<String, byte[]> served = new LinkedHashMap<>();
    try (var files = Files.list(source)) {
      for (Path p : files.toList()) {
        served.put("/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", x -> {
      requests.incrementAndGet();
      byte[] b = served.get(x.getRequestURI().getPath());
      x.sendResponseHeaders(200, b.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    });
    server.start();
    try {
      List<NamedDatasets.RemoteFile> files = new ArrayList<>();
      for (Map.Entry<String, byte[]> e : served.entrySet()) {
        files.add(new NamedDatasets.RemoteFile(e.getKey().substring(1), URI.create("http://127.0.0.1:"
            + server.getAddress().getPort() + e.getKey()), e.getValue().length, sha(e.getValue())));
      }
      NamedDatasets.Entry entry = new NamedDatasets.Entry("tiny", "tiny", NamedDatasets.Format.IDX, null, files,
          List.of(), Map.of(), "test");
      Path home = dir.resolve("home");
      VaeException offline = assertThrows(VaeException.class,
          () -> NamedDatasets.load(entry, options(home, true, new ArrayList<>())));
      assertTrue(offline.getMessage().contains("offline forbids downloading it"), offline.getMessage());
      assertEquals(0, requests.get());

      List<String> log = new ArrayList<>();
      Dataset d = NamedDatasets.load(entry, options(home, false, log));
      assertEquals("tiny", d.name());
      assertEquals(40, d.train().count());
      assertEquals(4, requests.get());
      assertTrue(log.get(0).startsWith("downloading "), log.toString());
      Dataset again = NamedDatasets.load(entry, options(home, true, new ArrayList<>()));
      assertEquals(10, again.test().count());
      assertEquals(4, requests.get(), "the second load reads the cache");

      // a cache missing a file (a download that died on the last one) is completed, not taken as it is
      Path labels = home.resolve("datasets/tiny").resolve(files.get(files.size() - 1).name());
      Files.delete(labels);
      Dataset completed = NamedDatasets.load(entry, options(home, false, new ArrayList<>()));
      assertTrue(Files.isRegularFile(labels));
      assertEquals(5, requests.get(), "only the missing file is fetched");
      assertTrue(completed.test().hasLabels() && completed.train().hasLabels());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aSystemCopyIsUsedWhenItsContentMatches() throws Exception {
    Path system = Fixtures.idxFolder(dir.resolve("usr-share"), 20, 5, 4, 4, true);
    Map<String, String> content = new LinkedHashMap<>();
    for (String name : new String[] {IdxDatasets.TRAIN_IMAGES, IdxDatasets.TEST_IMAGES}) {
      byte[] gz = Files.readAllBytes(system.resolve(name + ".gz"));
      content.put(name, sha(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes()));
    }
    NamedDatasets.Entry entry = new NamedDatasets.Entry("sys", "sys", NamedDatasets.Format.IDX, null, List.of(),
        List.of(system), content, "test");
    List<String> log = new ArrayList<>();
    Dataset d = NamedDatasets.load(entry, options(dir.resolve("home"), true, log));
    assertEquals(20, d.train().count());
    assertTrue(log.get(0).contains(system.toString()), log.toString());

    NamedDatasets.Entry wrong = new NamedDatasets.Entry("sys2", "sys", NamedDatasets.Format.IDX, null, List.of(),
        List.of(system), Map.of(IdxDatasets.TRAIN_IMAGES, "00".repeat(32)), "test");
    VaeException e = assertThrows(VaeException.class,
        () -> NamedDatasets.load(wrong, options(dir.resolve("home"), true, new ArrayList<>())));
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
  }

  @Test
  void aFolderOfTheUsersIsReadAsTheNamedSetWithoutDownloading() throws Exception {
    Path mine = Fixtures.idxFolder(dir.resolve("mine"), 12, 3, 4, 4, true);
    Dataset d = NamedDatasets.loadFrom(NamedDatasets.entry("fashion-mnist"), mine);
    assertEquals("fashion-mnist", d.name());
    assertEquals(12, d.train().count());
    Files.delete(mine.resolve(IdxDatasets.TEST_LABELS + ".gz"));
    VaeException idx = assertThrows(VaeException.class,
        () -> NamedDatasets.loadFrom(NamedDatasets.entry("kmnist"), mine));
    assertTrue(idx.getMessage().startsWith(mine + " does not hold kmnist's idx files"), idx.getMessage());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    VaeException missing = assertThrows(VaeException.class,
        () -> NamedDatasets.loadFrom(NamedDatasets.entry("cifar10"), empty));
    assertTrue(missing.getMessage().startsWith(empty + " does not hold cifar-10-binary.tar.gz, a file of cifar10"),
        missing.getMessage());
    Files.write(empty.resolve("cifar-10-binary.tar.gz"), new byte[] {1, 2, 3});
    VaeException wrong = assertThrows(VaeException.class,
        () -> NamedDatasets.loadFrom(NamedDatasets.entry("cifar10"), empty));
    assertTrue(wrong.getMessage().contains("is not the published cifar-10-binary.tar.gz (SHA-256 "),
        wrong.getMessage());
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    VaeException e = assertThrows(VaeException.class, () -> NamedDatasets.entry("imagenet"));
    assertTrue(e.getMessage().contains("fashion-mnist") && e.getMessage().contains("cifar10"), e.getMessage());
  }

  // ---- CIFAR-10 binary: planar RGB records inside a tar.gz ----

  private static byte[] cifarBatch(int records, int labelBase) {
    byte[] b = new byte[records * NamedDatasets.CIFAR_RECORD];
    for (int r = 0; r < records; r++) {
      int at = r * NamedDatasets.CIFAR_RECORD;
      b[at] = (byte) ((labelBase + r) % 10);
      for (int p = 0; p < 1024; p++) {
        b[at + 1 + p] = (byte) 200; // red plane
        b[at + 1 + 1024 + p] = (byte) (p % 32); // green plane: the column
        b[at + 1 + 2048 + p] = (byte) (p / 32); // blue plane: the row
      }
    }
    return b;
  }

  private static void tarEntry(ByteArrayOutputStream tar, String name, byte[] data) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, h, 124, size.length);
    h[156] = '0';
    System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 5);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] checksum = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, h, 148, checksum.length);
    tar.writeBytes(h);
    tar.writeBytes(data);
    tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
  }

  @Test
  void cifarBatchesBecomeHeightWidthChannelImages() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tarEntry(tar, "cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes(StandardCharsets.US_ASCII));
    for (int i = 1; i <= 5; i++) {
      tarEntry(tar, "cifar-10-batches-bin/data_batch_" + i + ".bin", cifarBatch(2, i));
    }
    tarEntry(tar, "cifar-10-batches-bin/test_batch.bin", cifarBatch(3, 7));
    tar.writeBytes(new byte[1024]);
    Path archive = dir.resolve("cifar-10-binary.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
      out.write(tar.toByteArray());
    }
    Dataset d = NamedDatasets.cifar10(archive);
    assertEquals(10, d.train().count());
    assertEquals(3, d.test().count());
    assertEquals(3, d.channels());
    assertEquals(7, d.test().label(0));
    float[] image = d.train().images(0, 1)[0];
    // pixel (row 5, column 9): R 200, G = column, B = row
    int at = (5 * 32 + 9) * 3;
    assertEquals(200 / 255f, image[at], 1e-6);
    assertEquals(9 / 255f, image[at + 1], 1e-6);
    assertEquals(5 / 255f, image[at + 2], 1e-6);
  }

  @Test
  void aTruncatedTarIsNamed() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tarEntry(tar, "x/data_batch_1.bin", cifarBatch(2, 0));
    byte[] cut = java.util.Arrays.copyOf(tar.toByteArray(), 700);
    VaeException e = assertThrows(VaeException.class,
        () -> TarReader.read(new java.io.ByteArrayInputStream(cut), n -> true, "a.tar"));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  // ---- SVHN: MATLAB level-5 files with X [32, 32, 3, N] uint8 and y [N, 1] double ----

  private static byte[] element(int type, byte[] data) {
    int pad = (8 - data.length % 8) % 8;
    ByteBuffer b = ByteBuffer.allocate(8 + data.length + pad).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(type).putInt(data.length).put(data);
    return b.array();
  }

  private static byte[] matrix(String name, int[] dims, int dataType, byte[] data) {
    ByteBuffer flags = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(dataType == 2 ? 9 : 6)
        .putInt(0);
    ByteBuffer d = ByteBuffer.allocate(4 * dims.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : dims) {
      d.putInt(v);
    }
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(element(6, flags.array()));
    m.writeBytes(element(5, d.array()));
    m.writeBytes(element(1, name.getBytes(StandardCharsets.US_ASCII)));
    m.writeBytes(element(dataType, data));
    return element(14, m.toByteArray());
  }

  private static byte[] matFile(boolean compressed, int n) {
    int h = 4;
    int w = 5;
    byte[] x = new byte[h * w * 3 * n];
    for (int img = 0; img < n; img++) {
      for (int c = 0; c < 3; c++) {
        for (int col = 0; col < w; col++) {
          for (int row = 0; row < h; row++) {
            x[row + h * (col + w * (c + 3 * img))] = (byte) (100 * c + 10 * row + col);
          }
        }
      }
    }
    ByteBuffer y = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      y.putDouble(i == 0 ? 10 : i);
    }
    byte[] body = new byte[0];
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(matrix("X", new int[] {h, w, 3, n}, 2, x));
    all.writeBytes(matrix("y", new int[] {n, 1}, 9, y.array()));
    body = all.toByteArray();
    if (compressed) {
      Deflater deflater = new Deflater();
      deflater.setInput(body);
      deflater.finish();
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (!deflater.finished()) {
        z.write(buf, 0, deflater.deflate(buf));
      }
      deflater.end();
      body = element(15, z.toByteArray());
    }
    byte[] header = new byte[128];
    byte[] text = "MATLAB 5.0 MAT-file, written by the vae4j tests".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, 0, text.length);
    header[124] = 0x00;
    header[125] = 0x01;
    header[126] = 'I';
    header[127] = 'M';
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(header);
    file.writeBytes(body);
    return file.toByteArray();
  }

  @Test
  void svhnMatFilesBecomeImagesWithDigitLabels() throws Exception {
    for (boolean compressed : new boolean[] {false, true}) {
      Path file = dir.resolve("svhn-" + compressed + ".mat");
      Files.write(file, matFile(compressed, 3));
      ImageSet set = NamedDatasets.svhn(file);
      assertEquals(3, set.count());
      assertEquals(4, set.height());
      assertEquals(5, set.width());
      assertEquals(3, set.channels());
      assertEquals(0, set.label(0), "label 10 is the digit 0");
      assertEquals(2, set.label(2));
      float[] image = set.images(1, 1)[0];
      // pixel (row 2, column 3), channel 1: 100 + 20 + 3
      assertEquals(123 / 255f, image[(2 * 5 + 3) * 3 + 1], 1e-6);
    }
  }

  @Test
  void aMatFileThatIsNotOneIsNamed() {
    VaeException e = assertThrows(VaeException.class,
        () -> MatFile.read(new java.io.ByteArrayInputStream(new byte[200]), "x.mat"));
    assertTrue(e.getMessage().contains("is not a MATLAB MAT-file"), e.getMessage());
  }

  // ---- EMNIST: idx files in a zip, images stored transposed ----

  @Test
  void emnistImagesAreTurnedUpright() throws Exception {
    byte[] px = new byte[2 * 4 * 4];
    px[1] = (byte) 255; // stored position (0, 1) of image 0 = upright (1, 0)
    byte[] images = Fixtures.gzip(Fixtures.idx(new int[] {2, 4, 4}, px));
    byte[] labels = Fixtures.gzip(Fixtures.idx(new int[] {2}, new byte[] {3, 4}));
    Path zip = dir.resolve("gzip.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (String split : new String[] {"train", "test"}) {
        out.putNextEntry(new ZipEntry("gzip/emnist-digits-" + split + "-images-idx3-ubyte.gz"));
        out.write(images);
        out.putNextEntry(new ZipEntry("gzip/emnist-digits-" + split + "-labels-idx1-ubyte.gz"));
        out.write(labels);
      }
    }
    Dataset d = NamedDatasets.emnist(zip, "digits");
    float[] upright = d.train().images(0, 1)[0];
    assertEquals(1f, upright[1 * 4 + 0]);
    assertEquals(0f, upright[0 * 4 + 1]);
    assertEquals(4, d.test().label(1));
    VaeException e = assertThrows(VaeException.class, () -> NamedDatasets.emnist(zip, "letters"));
    assertTrue(e.getMessage().contains("has no gzip/emnist-letters"), e.getMessage());
  }
}
