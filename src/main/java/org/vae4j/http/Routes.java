package org.vae4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vae4j.internal.json.Json;
import org.vae4j.serve.SignatureInfo;
import org.vae4j.serve.TensorInfo;
import org.vae4j.serve.Vae;

/** Which answer a method and path get: TF Serving's endpoints, the page's own, and the page's files. */
final class Routes {
  private Routes() {}

  /** /v1/models/NAME[/versions/N | /labels/L][/metadata | :predict] */
  private static final Pattern API = Pattern.compile(
      "/v1/models/([^/:]+)(?:/versions/([^/:]+)|/labels/([^/:]+))?(/metadata|:predict|:classify|:regress)?");
  private static final Pattern EXPLORE = Pattern.compile("/vae4j/models/([^/]+)/explore");
  /** The page's files: name to content type. Nothing else is read from the class path. */
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  static ModelServer.Answer answer(ModelServer server, String method, String path, Supplier<String> body) {
    Matcher api = API.matcher(path);
    if (api.matches()) {
      return model(server, method, api, body);
    }
    Matcher explore = EXPLORE.matcher(path);
    if (explore.matches()) {
      requireGet(method);
      ServedVersion v = server.model(explore.group(1)).version(null);
      Map<String, Object> out = new LinkedHashMap<>(v.summary().json());
      out.put("name", explore.group(1));
      out.put("version", String.valueOf(v.version()));
      return ModelServer.Answer.json(200, out);
    }
    if (path.equals("/vae4j/models")) {
      requireGet(method);
      return ModelServer.Answer.json(200, Map.of("models", server.modelNames()));
    }
    String file = path.equals("/") ? "index.html" : path.startsWith("/static/") ? path.substring(8) : null;
    if (file != null && FILES.containsKey(file)) {
      requireGet(method);
      return new ModelServer.Answer(200, FILES.get(file), resource(file));
    }
    throw new Predict.NotFound("Malformed request: " + method + " " + path + " is none of this server's endpoints");
  }

  private static ModelServer.Answer model(ModelServer server, String method, Matcher m, Supplier<String> body) {
    ServedModel model = server.model(m.group(1));
    if (m.group(3) != null) {
      throw new Predict.NotFound("model '" + m.group(1) + "' has no version label '" + m.group(3) + "'; vae4j"
          + " serves versions by number");
    }
    Long version = m.group(2) == null ? null : version(m.group(2));
    String verb = m.group(4);
    if (verb == null) {
      requireGet(method);
      return ModelServer.Answer.json(200, model.status(version));
    }
    if (verb.equals("/metadata")) {
      requireGet(method);
      return ModelServer.Answer.json(200, metadata(model.name(), model.version(version)));
    }
    if (!verb.equals(":predict")) {
      throw new IllegalArgumentException("vae4j models answer predict only; they have no " + verb.substring(1)
          + " signature");
    }
    if (!"POST".equals(method)) {
      throw new IllegalArgumentException("predict takes POST, not " + method);
    }
    ServedVersion v = model.version(version);
    Object parsed = Json.parse(body.get());
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("the request body must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> request = (Map<String, Object>) map;
    return ModelServer.Answer.json(200, Predict.answer(v, request));
  }

  private static Long version(String text) {
    if (!text.matches("\\d{1,18}")) {
      throw new IllegalArgumentException("a version is a whole number, not '" + text + "'");
    }
    return Long.parseLong(text);
  }

  private static void requireGet(String method) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      throw new IllegalArgumentException("this endpoint takes GET, not " + method);
    }
  }

  /** TF Serving's GetModelMetadataResponse in JSON: the model spec and the SignatureDefMap. */
  static Map<String, Object> metadata(String name, ServedVersion v) {
    Map<String, Object> defs = new LinkedHashMap<>();
    for (SignatureInfo s : v.signatures()) {
      Map<String, Object> def = new LinkedHashMap<>();
      def.put("inputs", tensors(s.inputs()));
      def.put("outputs", tensors(s.outputs()));
      def.put("method_name", s.methodName());
      defs.put(s.key(), def);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("@type", "type.googleapis.com/tensorflow.serving.SignatureDefMap");
    map.put("signature_def", defs);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", name);
    spec.put("signature_name", "");
    spec.put("version", String.valueOf(v.version()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_spec", spec);
    out.put("metadata", Map.of("signature_def", map));
    return out;
  }

  private static Map<String, Object> tensors(Map<String, TensorInfo> infos) {
    Map<String, Object> out = new LinkedHashMap<>();
    infos.forEach((name, t) -> {
      List<Object> dims = new ArrayList<>();
      for (long d : t.shape()) {
        Map<String, Object> dim = new LinkedHashMap<>();
        dim.put("size", String.valueOf(d));
        dim.put("name", "");
        dims.add(dim);
      }
      Map<String, Object> shape = new LinkedHashMap<>();
      shape.put("dim", dims);
      shape.put("unknown_rank", false);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", t.dtype());
      info.put("tensor_shape", shape);
      info.put("name", t.tensor());
      out.put(name, info);
    });
    return out;
  }

  /** The page's files, read from the jar once each. */
  private static final Map<String, byte[]> READ = new java.util.concurrent.ConcurrentHashMap<>();

  private static byte[] resource(String file) {
    return READ.computeIfAbsent(file, Routes::readResource);
  }

  private static byte[] readResource(String file) {
    try (InputStream in = Routes.class.getResourceAsStream("web/" + file)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the page's " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the page's " + file, e);
    }
  }
}
