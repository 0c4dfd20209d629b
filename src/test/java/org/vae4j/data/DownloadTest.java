package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.VaeException;

/** The real download code against a server on the loopback address; no test touches the network. */
class DownloadTest {
  @TempDir
  Path dir;

  private HttpServer server;
  private final byte[] body = new byte[300_000];
  private String sha;
  /** How the next responses behave. */
  private volatile String mode = "ok";
  private volatile int cutAfter = 100_000;
  private final List<String> ranges = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    new Random(1).nextBytes(body);
    sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/file", this::serve);
    server.createContext("/moved", x -> {
      // a relative redirect to an absolute one to the file, as hosts moving from http to https answer
      String to = x.getRequestURI().getPath().equals("/moved/twice") ? "/moved" : url().toString();
      x.getResponseHeaders().add("Location", to);
      x.sendResponseHeaders(x.getRequestURI().getPath().equals("/moved/twice") ? 302 : 301, -1);
      x.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/file");
  }

  private void serve(HttpExchange x) throws IOException {
    requests.incrementAndGet();
    String range = x.getRequestHeaders().getFirst("Range");
    synchronized (ranges) {
      ranges.add(range);
    }
    if (mode.equals("missing")) {
      x.sendResponseHeaders(404, -1);
      x.close();
      return;
    }
    int from = 0;
    if (range != null && !mode.equals("no-ranges")) {
      from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
    }
    if (range != null && mode.equals("wrong-range")) {
      // a partial answer for other bytes than asked: the whole file labelled as a range from 0
      x.getResponseHeaders().add("Content-Range", "bytes 0-" + (body.length - 1) + "/" + body.length);
      x.sendResponseHeaders(206, body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
      return;
    }
    byte[] content = body.clone();
    if (mode.equals("corrupt")) {
      content[1234] ^= 1;
    }
    int length = content.length - from;
    if (from > 0) {
      x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/"
          + content.length);
      x.sendResponseHeaders(206, length);
    } else {
      x.sendResponseHeaders(200, length);
    }
    try (OutputStream out = x.getResponseBody()) {
      if (mode.equals("cut")) {
        // the connection drops after cutAfter bytes of this response
        out.write(content, from, Math.min(cutAfter, length));
        out.flush();
        throw new IOException("cut");
      }
      if (mode.equals("slow")) {
        out.write(content, from, 1000);
        out.flush();
        Thread.sleep(3000);
      }
      out.write(content, from, length);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      x.close();
    }
  }

  private Download download(int attempts) {
    return new Download(Duration.ofSeconds(1), attempts, null);
  }

  @Test
  void aGoodTransferIsVerifiedAndRenamedIntoPlace() throws IOException {
    Path target = dir.resolve("data.bin");
    List<Long> progress = new ArrayList<>();
    new Download(Duration.ofSeconds(5), 1, (name, done, total) -> {
      assertEquals("data.bin", name);
      assertEquals(body.length, total);
      progress.add(done);
    }).fetch(url(), body.length, sha, target);
    assertArrayEquals(body, Files.readAllBytes(target));
    assertFalse(Files.exists(Download.partial(target)), "no partial file is left");
    assertEquals(body.length, progress.get(progress.size() - 1));
  }

  @Test
  void aCorruptFileIsDeletedAndNamed() {
    mode = "corrupt";
    Path target = dir.resolve("data.bin");
    VaeException e = assertThrows(VaeException.class, () -> download(1).fetch(url(), body.length, sha, target));
    assertTrue(e.getMessage().contains("is corrupt") && e.getMessage().contains("deleted"), e.getMessage());
    assertFalse(Files.exists(target));
    assertFalse(Files.exists(Download.partial(target)));
  }

  @Test
  void anInterruptedTransferResumesWithARangeRequest() throws IOException {
    mode = "cut";
    cutAfter = 100_000;
    Path target = dir.resolve("data.bin");
    // every response is cut: each attempt appends 100 kB and the third one completes the 300 kB file
    download(5).fetch(url(), body.length, sha, target);
    assertArrayEquals(body, Files.readAllBytes(target));
    assertEquals(List.of("bytes=100000-", "bytes=200000-"), ranges.subList(1, 3));
  }

  @Test
  void aTransferThatKeepsFailingKeepsItsBytesForTheNextRun() throws IOException {
    mode = "cut";
    cutAfter = 50_000;
    Path target = dir.resolve("data.bin");
    VaeException e = assertThrows(VaeException.class, () -> download(2).fetch(url(), body.length, sha, target));
    assertTrue(e.getMessage().contains("after 2 attempts") && e.getMessage().contains("resumes"), e.getMessage());
    assertEquals(100_000, Files.size(Download.partial(target)));
    mode = "ok";
    download(1).fetch(url(), body.length, sha, target);
    assertArrayEquals(body, Files.readAllBytes(target));
    assertEquals("bytes=100000-", ranges.get(ranges.size() - 1), "the next run asked only for the rest");
  }

  @Test
  void aServerIgnoringRangesRestartsTheFile() throws IOException {
    Path target = dir.resolve("data.bin");
    Files.write(Download.partial(target), new byte[] {9, 9, 9});
    mode = "no-ranges";
    download(1).fetch(url(), body.length, sha, target);
    assertArrayEquals(body, Files.readAllBytes(target));
  }

  @Test
  void aSilentServerTimesOut() {
    mode = "slow";
    Path target = dir.resolve("data.bin");
    VaeException e = assertThrows(VaeException.class, () -> download(1).fetch(url(), body.length, sha, target));
    assertTrue(e.getMessage().contains("no data for 1 s"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    mode = "missing";
    VaeException e = assertThrows(VaeException.class,
        () -> download(1).fetch(url(), body.length, sha, dir.resolve("x")));
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
  }

  @Test
  void redirectsAreFollowedAcrossRelativeAndAbsoluteLocations() throws IOException {
    Path target = dir.resolve("f.bin");
    download(1).fetch(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/moved/twice"),
        body.length, sha, target);
    assertArrayEquals(body, Files.readAllBytes(target));
  }

  @Test
  void aPartialAnswerForOtherBytesIsNotAppendedButStartedAgain() throws IOException {
    Path target = dir.resolve("f.bin");
    Files.write(Download.partial(target), Arrays.copyOf(body, 100_000));
    mode = "wrong-range";
    download(2).fetch(url(), body.length, sha, target);
    assertArrayEquals(body, Files.readAllBytes(target));
    assertEquals(Arrays.asList("bytes=100000-", null), ranges, "the second attempt asks for the whole file");
    assertEquals(-1, Download.rangeStart("items 3-4/5"));
    assertEquals(12, Download.rangeStart("bytes 12-99/100"));
  }

  @Test
  void aDownloadInProgressElsewhereIsNotJoined() throws IOException {
    Path target = dir.resolve("f.bin");
    Path part = Download.partial(target);
    try (FileChannel other = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = other.lock()) {
      VaeException e = assertThrows(VaeException.class, () -> download(1).fetch(url(), body.length, sha, target));
      assertTrue(e.getMessage().startsWith("another process is downloading f.bin into "), e.getMessage());
    }
    assertEquals(0, requests.get());
    download(1).fetch(url(), body.length, sha, target);
    assertArrayEquals(body, Files.readAllBytes(target));
  }
}
