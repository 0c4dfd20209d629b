package org.vae4j.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.vae4j.VaeException;

/** TF Serving's folder layout: {@code <base>/<integer version>/saved_model.pb}. */
public final class ModelPaths {
  private ModelPaths() {}

  /**
   * The version folder to load: {@code path} itself when it holds a {@code saved_model.pb}, else the highest
   * integer-named subfolder that does (what TF Serving would serve), else the same below {@code path/savedmodel}
   * (a run folder).
   *
   * @throws VaeException when none exists
   */
  public static Path resolveVersion(Path path) {
    if (!Files.exists(path)) {
      throw new VaeException("model folder " + path + " does not exist");
    }
    if (!Files.isDirectory(path)) {
      throw new VaeException(path + " is not a folder; give a SavedModel version folder or its base folder");
    }
    if (holdsGraph(path)) {
      return path;
    }
    Optional<Path> highest = highestVersion(path);
    if (highest.isPresent()) {
      return highest.get();
    }
    Path nested = path.resolve("savedmodel");
    if (Files.isDirectory(nested)) {
      return resolveVersion(nested);
    }
    throw new VaeException(path + " holds no SavedModel: expected " + Contract.SAVED_MODEL_FILE
        + " in it or in an integer-named version folder below it");
  }

  /**
   * Whether a folder has a saved_model.pb of any kind: one that is no regular file is still the model meant, and
   * loading refuses it by name rather than saying there is no model.
   */
  public static boolean holdsGraph(Path folder) {
    return Files.exists(folder.resolve(Contract.SAVED_MODEL_FILE), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The integer-named subfolder with the highest number that holds a saved_model.pb, as named on disk (so a
   * folder '007' stays '007').
   */
  public static Optional<Path> highestVersion(Path base) {
    return versions(base).values().stream().reduce((a, b) -> b);
  }

  /**
   * Every integer-named subfolder of {@code base} that holds a saved_model.pb, by version number, as TF Serving's
   * file-system source lists them (empty when {@code base} is no folder).
   */
  public static java.util.NavigableMap<Long, Path> versions(Path base) {
    java.util.NavigableMap<Long, Path> out = new java.util.TreeMap<>();
    if (!Files.isDirectory(base)) {
      return out;
    }
    try (Stream<Path> children = Files.list(base)) {
      children.filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
          .filter(ModelPaths::holdsGraph)
          .forEach(p -> out.merge(Long.parseLong(p.getFileName().toString()), p,
              (a, b) -> a.compareTo(b) <= 0 ? a : b));
    } catch (IOException e) {
      throw new VaeException("cannot list " + base + ": " + e.getMessage(), e);
    }
    return out;
  }
}
