package org.vae4j.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vae4j.VaeException;
import org.vae4j.internal.json.Json;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;

/**
 * TF Serving's REST API for vae4j models, in the JVM, on the JDK's own HTTP server ({@code com.sun.net.httpserver}:
 * no dependency to keep up with or to clash with Spark's Jetty, and enough for a JSON API; its limits are set
 * here: a bounded body, a deadline to send it, a fixed pool of request threads). Endpoints, as TF Serving's:
 * {@code GET /v1/models/NAME[/versions/N]} (status), {@code GET /v1/models/NAME[/versions/N]/metadata}
 * (signatures), {@code POST /v1/models/NAME[/versions/N]:predict}; plus the page to explore a model at {@code /}.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(ModelServer.Options.defaults()
 *     .withModel("mnist-z32", Path.of("savedmodels/mnist-z32")).withPort(0))) {
 *   URI api = server.uri().resolve("v1/models/mnist-z32:predict");
 *   // POST {"instances": [...]} to api, as to TF Serving (docs/SERVING.md)
 * }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {
  /**
   * How to serve.
   *
   * @param host the address to listen on (loopback unless asked)
   * @param port the port (0: any free one; see {@link #port()})
   * @param folders model name to folder (a base folder of versions, or one version folder)
   * @param models model name to a {@link Vae} an application already has (served as its folder's version, not closed here)
   * @param load how folders are loaded (trust, device, threads)
   * @param poll how often folders are checked for new or removed versions (zero: never)
   * @param threads request threads
   * @param maxBodyBytes the largest request body accepted
   * @param bodyTimeout how long a client may take to send its body
   * @param log where loads and failures are told, one line each
   */
  public record Options(String host, int port, Map<String, Path> folders, Map<String, Vae> models, VaeOptions load,
      Duration poll, int threads, long maxBodyBytes, Duration bodyTimeout, PrintStream log) {
    /**
     * Keeps copies of the model maps, in the order given.
     *
     * @throws IllegalArgumentException when the port is outside 0..65535, threads outside 1..1024, maxBodyBytes
     *     below 1024, a model name is not 1 to 100 letters, digits, '.', '_' and '-' starting with a letter or
     *     digit, or a name is given both as a folder and as a model
     */
    public Options {
      folders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(folders)); // in the order given
      models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
      }
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be from 1 to 1024, got " + threads);
      }
      if (maxBodyBytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
      }
      for (String name : folders.keySet()) {
        checkName(name);
      }
      for (String name : models.keySet()) {
        checkName(name);
        if (folders.containsKey(name)) {
          throw new IllegalArgumentException("model name '" + name + "' is given twice");
        }
      }
    }

    /** Loopback, port 8501 (TF Serving's REST port), no models yet, polling every 2 s, 16 MiB bodies. */
    public static Options defaults() {
      return new Options("127.0.0.1", 8501, Map.of(), Map.of(), VaeOptions.defaults(), Duration.ofSeconds(2), Math.max(4,
          2 * Runtime.getRuntime().availableProcessors()), 16L << 20, Duration.ofSeconds(30), System.err);
    }

    /**
     * These options with the model in {@code folder} (a base folder of versions, or one version folder) served as
     * {@code name} too, replacing a folder of that name.
     *
     * @throws IllegalArgumentException when the name is not a valid model name or names a {@link Vae} already
     */
    public Options withModel(String name, Path folder) {
      Map<String, Path> f = new LinkedHashMap<>(folders);
      f.put(name, folder);
      return new Options(host, port, f, models, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /**
     * These options with {@code vae} served as {@code name} too (replacing a model of that name).
     *
     * @throws IllegalArgumentException when the name is not a valid model name or names a folder already
     */
    public Options withModel(String name, Vae vae) {
      Map<String, Vae> m = new LinkedHashMap<>(models);
      m.put(name, vae);
      return new Options(host, port, folders, m, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /** These options listening on {@code host}. */
    public Options withHost(String host) {
      return new Options(host, port, folders, models, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /**
     * These options listening on {@code port} (0: any free one).
     *
     * @throws IllegalArgumentException when the port is outside 0..65535
     */
    public Options withPort(int port) {
      return new Options(host, port, folders, models, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /** These options loading folders with {@code options}. */
    public Options withLoadOptions(VaeOptions options) {
      return new Options(host, port, folders, models, options, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /** These options checking folders for new or removed versions every {@code poll} (zero: never). */
    public Options withPoll(Duration poll) {
      return new Options(host, port, folders, models, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /**
     * These options answering requests on {@code threads} threads.
     *
     * @throws IllegalArgumentException when threads is outside 1..1024
     */
    public Options withThreads(int threads) {
      return new Options(host, port, folders, models, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /**
     * These options accepting request bodies of at most {@code maxBodyBytes} bytes, sent within {@code bodyTimeout}.
     *
     * @throws IllegalArgumentException when maxBodyBytes is below 1024
     */
    public Options withLimits(long maxBodyBytes, Duration bodyTimeout) {
      return new Options(host, port, folders, models, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    /** These options telling loads and failures to {@code log}. */
    public Options withLog(PrintStream log) {
      return new Options(host, port, folders, models, load, poll, threads, maxBodyBytes, bodyTimeout, log);
    }

    private static void checkName(String name) {
      if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
        throw new IllegalArgumentException("a model name is letters, digits, '.', '_' and '-' (at most 100),"
            + " starting with a letter or digit; got '" + name + "'");
      }
    }
  }

  private final HttpServer http;
  private final Map<String, ServedModel> served = new LinkedHashMap<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Options options;

  private ModelServer(Options options) throws IOException {
    this.options = options;
    // the JDK server's own limits (read once per JVM): headers must arrive within 30 s, answers leave within 120 s
    System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "30");
    System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "120");
    AtomicInteger n = new AtomicInteger();
    timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vae-serve-timer"));
    workers = Executors.newFixedThreadPool(options.threads(), r -> daemon(r, "vae-serve-" + n.incrementAndGet()));
    try {
      options.folders().forEach((name, folder) -> served.put(name, new ServedModel(name, folder,
          options.load(), options.log())));
      options.models().forEach((name, vae) -> served.put(name, ServedModel.of(name, vae)));
      for (ServedModel m : served.values()) {
        if (m.poll() == 0) {
          throw new VaeException("model '" + m.name() + "' has no version that loads: " + m.status(null));
        }
      }
      http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
    } catch (IOException | RuntimeException e) {
      shutdown();
      throw e;
    }
    http.setExecutor(workers);
    http.createContext("/", this::handle);
    http.start();
    if (!options.poll().isZero()) {
      long ms = Math.max(100, options.poll().toMillis());
      timers.scheduleWithFixedDelay(this::pollAll, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Loads every model and starts answering.
   *
   * @throws VaeException when a model has no version that loads, or the address cannot be bound
   */
  public static ModelServer start(Options options) {
    if (options.folders().isEmpty() && options.models().isEmpty()) {
      throw new IllegalArgumentException("give at least one model to serve");
    }
    try {
      return new ModelServer(options);
    } catch (IOException e) {
      throw new VaeException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(),
          e);
    }
  }

  /** The port listened on (the one chosen when asked for port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** The server's base address, for example {@code http://127.0.0.1:8501/}. */
  public java.net.URI uri() {
    String host = http.getAddress().getHostString();
    return java.net.URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
  }

  /** Checks every folder for new or removed versions now (the poller does this every {@code poll}). */
  public void pollAll() {
    for (ServedModel m : served.values()) {
      try {
        m.poll();
      } catch (RuntimeException e) {
        options.log().println("vae serve: polling " + m.name() + " failed: " + e.getMessage());
      }
    }
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      Answer a;
      try {
        a = Routes.answer(this, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            () -> body(exchange));
      } catch (Predict.NotFound e) {
        a = Answer.error(404, e.getMessage());
      } catch (TooLarge e) {
        a = Answer.error(413, e.getMessage());
      } catch (IllegalArgumentException e) {
        a = Answer.error(400, e.getMessage());
      } catch (IllegalStateException e) {
        a = Answer.error(503, "the model version was unloaded while answering; send the request again");
      } catch (VaeException e) {
        a = Answer.error(500, e.getMessage());
      } catch (RuntimeException | OutOfMemoryError e) {
        options.log().println("vae serve: internal error on " + exchange.getRequestURI() + ": " + e);
        a = Answer.error(500, "internal error: " + e.getClass().getSimpleName());
      }
      send(exchange, a);
    } catch (IOException e) {
      // the client went away; nothing to tell it
    }
  }

  private static void send(HttpExchange exchange, Answer a) throws IOException {
    byte[] bytes = a.body();
    exchange.getResponseHeaders().set("Content-Type", a.contentType());
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (a.contentType().startsWith("text/html")) {
      exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:;"
          + " frame-ancestors 'none'");
    }
    if (a.status() == 413) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(a.status(), head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The request body as UTF-8 text: at most maxBodyBytes, sent within bodyTimeout. */
  private String body(HttpExchange exchange) {
    long max = options.maxBodyBytes();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    long length;
    try {
      length = declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Content-Length is not a number");
    }
    if (length > DRAIN_BYTES) {
      throw new TooLarge("the request body is larger than " + max + " bytes"); // answered unread
    }
    // a client that stops sending would hold this thread: close its connection at the deadline
    ScheduledFuture<?> deadline = timers.schedule(exchange::close, options.bodyTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    try (InputStream in = exchange.getRequestBody()) {
      if (length > max) {
        drain(in, length); // read and dropped, so the client, still sending, gets the answer, not a reset
        throw new TooLarge("the request body is larger than " + max + " bytes");
      }
      byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > max) {
        // read on (a bounded amount) so the client, still sending, gets the answer instead of a reset connection
        drain(in, DRAIN_BYTES);
        throw new TooLarge("the request body is larger than " + max + " bytes");
      }
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException("the request body is not UTF-8 text");
    } catch (IOException e) {
      if (length > max) {
        throw new TooLarge("the request body is larger than " + max + " bytes");
      }
      throw new IllegalArgumentException("the request body did not arrive in " + options.bodyTimeout().toSeconds()
          + " s");
    } finally {
      deadline.cancel(false);
    }
  }

  /** How much of a too-large body is read and dropped before the 413 goes out. */
  private static final long DRAIN_BYTES = 16L << 20;

  private static void drain(InputStream in, long most) throws IOException {
    byte[] buffer = new byte[64 << 10];
    long read = 0;
    for (int n; read < most && (n = in.read(buffer)) > 0; ) {
      read += n;
    }
  }

  ServedModel model(String name) {
    ServedModel m = served.get(name);
    if (m == null) {
      throw new Predict.NotFound("Servable not found for request: no model named '" + name + "' (this server has "
          + String.join(", ", served.keySet()) + ")");
    }
    return m;
  }

  List<String> modelNames() {
    return new ArrayList<>(served.keySet());
  }

  static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  /** An HTTP answer: status, content type and bytes. */
  record Answer(int status, String contentType, byte[] body) {
    static Answer json(int status, Object value) {
      return new Answer(status, "application/json", Json.writeLine(value).getBytes(StandardCharsets.UTF_8));
    }

    static Answer error(int status, String message) {
      return json(status, Map.of("error", message == null ? "error" : message));
    }
  }

  /** Stops listening (requests in flight get 2 s to finish) and closes the models it loaded. */
  @Override
  public void close() {
    http.stop(2);
    shutdown();
  }

  private void shutdown() {
    timers.shutdownNow();
    workers.shutdownNow();
    served.values().forEach(ServedModel::close);
  }
}
