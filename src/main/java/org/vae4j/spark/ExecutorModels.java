package org.vae4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkFiles;
import org.vae4j.VaeException;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;

/**
 * The models of this JVM: each executor loads a model once, on its first task that needs it, and every task thread
 * of that executor shares it ({@link Vae} is thread-safe). Models stay loaded for the life of the JVM, as an
 * executor's broadcast variables do.
 */
final class ExecutorModels {
  private static final Map<String, Vae> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

  private ExecutorModels() {}

  /**
   * The model at {@code location}: a local folder (shared storage mounted on every executor), or the name of a
   * folder shipped with the job's {@code --archives}/{@code --files}, found in the executor's working directory or
   * through {@link SparkFiles}.
   *
   * <p>The model is shared: do not close it. A model re-exported into the same folder is not reloaded while this
   * JVM runs (give the new version's folder instead).
   *
   * @throws VaeException when no such folder exists or it holds no loadable vae4j model
   */
  public static Vae get(String location, boolean trusted) {
    Path path = resolve(location);
    String key = key(path, trusted);
    return MODELS.computeIfAbsent(key, k -> {
      LOADS.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
      return Vae.load(path, trusted ? VaeOptions.defaults().trusting() : VaeOptions.defaults());
    });
  }

  /** How many times this JVM has loaded the model at {@code location} (0 or 1 unless a load failed). */
  public static int loads(String location, boolean trusted) {
    String key = key(resolve(location), trusted);
    AtomicInteger n = LOADS.get(key);
    return n == null ? 0 : n.get();
  }

  private static String key(Path path, boolean trusted) {
    return path.toAbsolutePath().normalize() + (trusted ? " (trusted)" : "");
  }

  private static Path resolve(String location) {
    if (location == null || location.isBlank()) {
      throw VaeException.setting("modelPath is not set: give the model's folder", "modelPath");
    }
    Path path;
    try {
      path = Path.of(location);
    } catch (java.nio.file.InvalidPathException e) {
      throw VaeException.setting("modelPath '" + location + "' is not a path on this machine", "modelPath");
    }
    if (Files.exists(path) || path.isAbsolute()) {
      return path;
    }
    try {
      Path shipped = Path.of(SparkFiles.get(location)); // a folder the job shipped with its files or archives
      if (Files.exists(shipped)) {
        return shipped;
      }
    } catch (RuntimeException e) {
      // no Spark environment in this JVM (the model is used outside a job): the path stays as given
    }
    return path;
  }
}
