package org.vae4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.contract.Given;
import org.vae4j.data.IdxDatasets;
import org.vae4j.internal.json.Json;
import org.vae4j.serve.ElboScorer;
import org.vae4j.serve.Vae;

/**
 * The REST API against the Java API: docs/SERVING.md's own request bodies (read from the doc, so it cannot drift)
 * are sent to a {@link ModelServer} over loopback, and every answer must have TF Serving's shape and the values
 * of the same {@link Vae} call. The server serves the very {@code Vae} objects the test calls, so the values
 * agree to float precision; the tolerance of 1e-5 covers only the JSON round trip of the floats.
 */
class RestApiTest {
  static final Path SHIPPED = Path.of("savedmodels");
  private static Vae plain;
  private static Vae label;
  private static Vae column;
  private static ModelServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final float[][] IMAGES = IdxDatasets.mnist().test().images(0, 2);

  @BeforeAll
  static void start() {
    plain = Vae.load(SHIPPED.resolve("mnist-z2"));
    label = Vae.load(SHIPPED.resolve("mnist-cvae-label"));
    column = Vae.load(SHIPPED.resolve("mnist-cvae-column"));
    server = ModelServer.start(ModelServer.Options.defaults().withPort(0).withPoll(java.time.Duration.ZERO)
        .withModel("mnist-z2", plain).withModel("mnist-cvae-label", label).withModel("mnist-cvae-column", column));
  }

  @AfterAll
  static void stop() {
    server.close();
    plain.close();
    label.close();
    column.close();
  }

  /** Every request body docs/SERVING.md shows, with its placeholders. */
  static List<String> documentedBodies() throws IOException {
    String doc = Files.readString(Path.of("docs/SERVING.md"));
    Matcher m = Pattern.compile("`(\\{\"signature_name\": [^`]+\\})`").matcher(doc);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyDocumentedRequestIsAnsweredAsTheJavaApiAnswersIt() throws Exception {
    List<String> bodies = documentedBodies();
    assertTrue(bodies.size() >= 9, "the doc's request bodies: " + bodies);
    int sent = 0;
    for (String doc : bodies) {
      if (doc.contains("\"mask\"")) {
        continue; // no random-mask model is shipped; MaskedVaeTest covers masks through the Java API
      }
      String model = doc.contains("\"label\"") ? "mnist-cvae-label" : doc.contains("\"condition\"")
          ? "mnist-cvae-column" : "mnist-z2";
      String body = doc.replace("IMG", Json.writeLine(TensorJson.nest(IMAGES[0], new int[] {28, 28, 1})))
          .replace(", ...z floats...", "");
      Map<String, Object> answer = post(model, body, 200);
      check(model, Json.parseObject(body), answer);
      sent++;
    }
    assertEquals(9, sent, "requests checked");
  }

  /** The answer of one documented request against the same call through the Java API. */
  @SuppressWarnings("unchecked")
  private static void check(String model, Map<String, Object> request, Map<String, Object> answer) {
    String signature = (String) request.get("signature_name");
    Map<String, Object> in = (Map<String, Object>) request.get("inputs");
    float[] image = IMAGES[0];
    switch (signature) {
      case "encode" -> {
        List<Object> rows = (List<Object>) answer.get("predictions");
        Vae.Encoding e = model.equals("mnist-cvae-label") ? label.encode(new float[][] {image}, Given.labels(7))
            : plain.encode(new float[][] {image, image});
        for (int i = 0; i < rows.size(); i++) {
          Map<String, Object> row = (Map<String, Object>) rows.get(i);
          assertClose(e.mean()[i], row.get("mean"));
          assertClose(e.stddev()[i], row.get("stddev"));
        }
      }
      case "decode" -> assertClose(plain.decode(new float[][] {{0.1f, -0.3f}})[0],
          ((List<Object>) answer.get("predictions")).get(0));
      case "reconstruct" -> assertClose(plain.reconstruct(new float[][] {image})[0],
          ((List<Object>) answer.get("predictions")).get(0));
      case "score" -> {
        Vae.Scores s = ((ElboScorer) plain.scorer()).score(new float[][] {image, image});
        List<Object> rows = (List<Object>) answer.get("predictions");
        assertEquals(2, rows.size());
        for (int i = 0; i < 2; i++) {
          Map<String, Object> row = (Map<String, Object>) rows.get(i);
          assertEquals(s.elbo()[i], ((Number) row.get("elbo")).floatValue(), 1e-4);
          assertEquals(s.kl()[i], ((Number) row.get("kl")).floatValue(), 1e-4);
          assertEquals(s.reconstructionLogLikelihood()[i],
              ((Number) row.get("reconstruction_log_likelihood")).floatValue(), 1e-4);
        }
      }
      case "sample" -> {
        Map<String, Object> out = (Map<String, Object>) answer.get("outputs");
        long seed = (Long) in.get("seed");
        Vae.Samples s;
        if (in.containsKey("label")) {
          s = label.sample(Given.labels(7, 7, 3), seed);
        } else if (in.containsKey("condition")) {
          s = column.sample(Given.observed(new float[][] {image, image}), seed);
        } else {
          s = plain.sample(4, seed);
        }
        List<Object> images = (List<Object>) out.get("images");
        List<Object> codes = (List<Object>) out.get("latent");
        assertEquals(s.images().length, images.size());
        for (int i = 0; i < images.size(); i++) {
          assertClose(s.images()[i], images.get(i));
          assertClose(s.latent()[i], codes.get(i));
        }
      }
      case "log_weights" -> {
        float[][] w = ((ElboScorer) plain.scorer()).logWeights(new float[][] {image}, Given.NONE, 5000, 1L);
        List<Object> rows = (List<Object>) answer.get("outputs");
        assertEquals(1, rows.size());
        assertClose(w[0], rows.get(0));
      }
      default -> throw new AssertionError("a documented signature the test does not know: " + signature);
    }
  }

  /** A row against nested JSON lists, flattened in order. */
  static void assertClose(float[] expected, Object nested) {
    List<Float> flat = new ArrayList<>();
    flatten(nested, flat);
    assertEquals(expected.length, flat.size(), "values");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], flat.get(i), 1e-5f + 1e-6f * Math.abs(expected[i]), "value " + i);
    }
  }

  private static void flatten(Object v, List<Float> out) {
    if (v instanceof List<?> l) {
      l.forEach(x -> flatten(x, out));
    } else {
      out.add(((Number) v).floatValue());
    }
  }

  @Test
  void rowAndColumnarFormsGiveTheSameValues() throws Exception {
    String img = Json.writeLine(TensorJson.nest(IMAGES[1], new int[] {28, 28, 1}));
    Map<String, Object> rows = post("mnist-z2", "{\"signature_name\": \"encode\", \"instances\": [" + img + "]}",
        200);
    Map<String, Object> columns = post("mnist-z2", "{\"signature_name\": \"encode\", \"inputs\": {\"images\": ["
        + img + "]}}", 200);
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) ((List<Object>) rows.get("predictions")).get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) columns.get("outputs");
    assertEquals(first.get("mean"), ((List<?>) out.get("mean")).get(0));
    // serving_default is encode, as in the export
    Map<String, Object> byDefault = post("mnist-z2", "{\"instances\": [" + img + "]}", 200);
    assertEquals(rows, byDefault);
  }

  @Test
  void statusAndMetadataHaveTfServingsShape() throws Exception {
    Map<String, Object> status = get("/v1/models/mnist-z2", 200);
    assertEquals(Map.of("model_version_status", List.of(Map.of("version", "1", "state", "AVAILABLE", "status",
        Map.of("error_code", "OK", "error_message", "")))), status);
    Map<String, Object> meta = get("/v1/models/mnist-z2/versions/1/metadata", 200);
    String text = Json.writeLine(meta);
    assertTrue(text.contains("\"@type\":\"type.googleapis.com/tensorflow.serving.SignatureDefMap\""), text);
    assertTrue(text.contains("\"method_name\":\"tensorflow/serving/predict\""), text);
    assertTrue(text.matches(".*\"encode\":\\{\"inputs\":\\{\"images\":\\{\"dtype\":\"DT_FLOAT\",\"tensor_shape\":"
        + "\\{\"dim\":\\[\\{\"size\":\"-1\",\"name\":\"\"\\},\\{\"size\":\"28\".*"), text);
  }

  static Map<String, Object> post(String model, String body, int status) throws Exception {
    return send(HttpRequest.newBuilder(server.uri().resolve("v1/models/" + model + ":predict"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), status);
  }

  static Map<String, Object> get(String path, int status) throws Exception {
    return send(HttpRequest.newBuilder(server.uri().resolve(path.substring(1))).GET().build(), status);
  }

  private static Map<String, Object> send(HttpRequest request, int status) throws Exception {
    HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    return Json.parseObject(r.body());
  }

  static URI base() {
    return server.uri();
  }
}
