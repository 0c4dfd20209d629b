package org.vae4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.contract.Contract;
import org.vae4j.internal.json.Json;

/**
 * The server against bad requests and changing folders: every mistake is a 4xx with one sentence and the server
 * keeps answering others; versions that appear are served without a restart, a broken one is refused while the
 * others keep serving.
 */
class ServerLimitsTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private ModelServer start(Path base, Duration poll, PrintStream log) {
    return ModelServer.start(ModelServer.Options.defaults().withPort(0).withPoll(poll).withLog(log)
        .withLimits(64 << 10, Duration.ofSeconds(1)).withThreads(4).withModel("tiny", base));
  }

  private static HttpResponse<String> send(ModelServer s, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri().resolve(path));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void refused(ModelServer s, String method, String path, String body, int status, String says)
      throws Exception {
    HttpResponse<String> r = send(s, method, path, body);
    assertEquals(status, r.statusCode(), r.body());
    String error = (String) Json.parseObject(r.body()).get("error");
    assertTrue(error.contains(says), "expected '" + says + "' in: " + error);
    assertTrue(!error.contains("\n") && !error.contains("Exception"), error);
  }

  @Test
  void mistakesAreOneSentenceWithTfServingsStatus() throws Exception {
    Path base = Fixtures.copyModel(MODEL.version, dir.resolve("tiny/1"));
    int z = MODEL.card.latentDim();
    try (ModelServer s = start(base.getParent(), Duration.ZERO, System.err)) {
      String predict = "v1/models/tiny:predict";
      refused(s, "POST", predict, "{\"instances\": [1, 2", 400, "invalid JSON at line 1");
      refused(s, "POST", predict, "[1]", 400, "must be a JSON object");
      refused(s, "POST", predict, "{\"signature_name\": \"decode\", \"instances\": [[1, 2, 3]]}", 400,
          "each example of 'latent' must have shape [" + z + "]");
      refused(s, "POST", predict, "{\"signature_name\": \"decode\", \"instances\": [\"z\"]}", 400,
          "must have shape");
      refused(s, "POST", predict, "{\"signature_name\": \"encode\", \"inputs\": {\"pictures\": []}}", 400,
          "signature 'encode' takes the inputs images; the request gives pictures");
      refused(s, "POST", predict, "{\"signature_name\": \"sample\", \"inputs\": {\"count\": 100000, \"seed\": 1}}",
          400, "count must be between 0 and 10000");
      refused(s, "POST", predict, "{\"signature_name\": \"sample\", \"inputs\": {\"count\": 1.5, \"seed\": 1}}",
          400, "'count' must be a whole number");
      refused(s, "POST", predict, "{\"signature_name\": \"nope\", \"instances\": [1]}", 404,
          "has no signature 'nope'");
      refused(s, "POST", "v1/models/other:predict", "{}", 404, "no model named 'other'");
      refused(s, "POST", "v1/models/tiny/versions/7:predict", "{\"instances\": [1]}", 404, "no version 7");
      refused(s, "GET", predict, null, 400, "predict takes POST");
      refused(s, "GET", "v1/elsewhere", null, 404, "none of this server's endpoints");
      refused(s, "POST", predict, "{\"signature_name\": \"encode\", \"instances\": [" + "0,".repeat(40_000)
          + "0]}", 413, "larger than 65536 bytes");
      // still serving
      assertEquals(200, send(s, "GET", "v1/models/tiny", null).statusCode());
    }
  }

  @Test
  void aHugeDeclaredBodyIsRefusedBeforeItIsReadAndASlowClientIsCutOff() throws Exception {
    Path base = Fixtures.copyModel(MODEL.version, dir.resolve("tiny/1"));
    try (ModelServer s = start(base.getParent(), Duration.ZERO, System.err)) {
      // 100 MB announced: the answer comes at once, without the server reading it
      try (Socket c = new Socket("127.0.0.1", s.port())) {
        c.setSoTimeout(10_000);
        OutputStream out = c.getOutputStream();
        out.write(("POST /v1/models/tiny:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n{")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String answer = readAll(c.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("larger than 65536 bytes"), answer);
      }
      // a client that stops halfway through its body loses its connection at the deadline (1 s here) ...
      try (Socket slow = new Socket("127.0.0.1", s.port())) {
        slow.setSoTimeout(20_000);
        slow.getOutputStream().write(("POST /v1/models/tiny:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000"
            + "\r\n\r\n{\"inst").getBytes(StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();
        // ... while everyone else is answered
        for (int i = 0; i < 3; i++) {
          assertEquals(200, send(s, "GET", "v1/models/tiny", null).statusCode());
        }
        long started = System.nanoTime();
        String answer = readAll(slow.getInputStream());
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(System.nanoTime() - started < 15e9, "cut off at the deadline");
      }
      assertEquals(200, send(s, "GET", "v1/models/tiny", null).statusCode());
    }
  }

  private static String readAll(InputStream in) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      in.transferTo(b);
    } catch (java.io.IOException e) {
      // the server closed the connection
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  @SuppressWarnings("unchecked")
  void newVersionsAreServedWithoutARestartAndABrokenOneIsRefused() throws Exception {
    Path base = dir.resolve("tiny");
    Fixtures.copyModel(MODEL.version, base.resolve("1"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        ModelServer s = start(base, Duration.ofMillis(200), out)) {
      assertEquals("1", version(s));
      Path two = dir.resolve("staging");
      Fixtures.copyModel(MODEL.version, two);
      Files.move(two, base.resolve("2")); // appears complete, as a rename
      waitFor(() -> "2".equals(version(s)));
      Path three = Fixtures.copyModel(MODEL.version, dir.resolve("broken"));
      Files.write(three.resolve(Contract.SAVED_MODEL_FILE), new byte[] {1, 2, 3});
      Files.move(three, base.resolve("3"));
      waitFor(() -> statusOf(s).size() == 3);
      List<Object> versions = statusOf(s);
      Map<String, Object> broken = (Map<String, Object>) versions.get(0);
      assertEquals("3", broken.get("version"));
      assertEquals("END", broken.get("state"));
      assertTrue(((Map<String, Object>) broken.get("status")).get("error_message").toString()
          .contains("cannot read the SavedModel"), broken.toString());
      assertEquals("2", version(s), "the highest version that loads keeps serving");
      assertTrue(log.toString(StandardCharsets.UTF_8).contains("tiny version 3 is not served"), log.toString());
      // a request for the broken version says why
      refused(s, "POST", "v1/models/tiny/versions/3:predict", "{\"instances\": [[0]]}", 404,
          "cannot read the SavedModel");
      org.vae4j.internal.util.Files2.deleteRecursively(base.resolve("2"));
      waitFor(() -> "1".equals(version(s)));
    }
  }

  private static String version(ModelServer s) {
    try {
      HttpResponse<String> r = send(s, "GET", "v1/models/tiny/metadata", null);
      return (String) ((Map<?, ?>) Json.parseObject(r.body()).get("model_spec")).get("version");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> statusOf(ModelServer s) {
    try {
      return (List<Object>) Json.parseObject(send(s, "GET", "v1/models/tiny", null).body())
          .get("model_version_status");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out");
      Thread.sleep(100);
    }
  }
}
