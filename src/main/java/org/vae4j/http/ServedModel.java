package org.vae4j.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.vae4j.VaeException;
import org.vae4j.contract.ModelPaths;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;

/**
 * One model name and its folder, served as TF Serving's file-system source serves a base folder: every
 * integer-named version folder is loaded, requests without a version go to the highest, and {@link #poll} picks
 * up versions that appear (a broken one is refused and logged, the others keep serving) or disappear. A folder
 * that is itself a version folder is served as version 1 (or its integer name).
 */
final class ServedModel implements AutoCloseable {
  private final String name;
  private final Path folder;
  private final VaeOptions options;
  private final PrintStream log;
  private final ConcurrentSkipListMap<Long, ServedVersion> loaded = new ConcurrentSkipListMap<>();
  /** Versions that failed to load: the reason, and the folder's state then (retried when it changes). */
  private final Map<Long, Failure> failed = new TreeMap<>();

  /**
   * A model an application handed over: served as its folder's version (the integer name TF Serving would read,
   * else 1), never polled, never closed here.
   */
  private final ServedVersion given;

  private record Failure(String reason, String fingerprint) {}

  ServedModel(String name, Path folder, VaeOptions options, PrintStream log) {
    this.name = name;
    this.folder = folder;
    this.options = options;
    this.log = log;
    this.given = null;
  }

  private ServedModel(String name, Vae vae) {
    this.name = name;
    this.folder = null;
    this.options = null;
    this.log = System.err;
    String own = vae.path().getFileName() == null ? "" : vae.path().getFileName().toString();
    long version = own.matches("\\d{1,18}") ? Long.parseLong(own) : 1L;
    this.given = new ServedVersion(version, vae);
    loaded.put(version, given);
  }

  static ServedModel of(String name, Vae vae) {
    return new ServedModel(name, vae);
  }

  String name() {
    return name;
  }

  /** Loads what is new, drops what is gone; returns how many versions are being served. */
  synchronized int poll() {
    if (given != null) {
      return 1;
    }
    Map<Long, Path> present = versionsOnDisk();
    for (Map.Entry<Long, Path> e : present.entrySet()) {
      long v = e.getKey();
      if (loaded.containsKey(v)) {
        continue;
      }
      String fingerprint = fingerprint(e.getValue());
      Failure before = failed.get(v);
      if (before != null && before.fingerprint().equals(fingerprint)) {
        continue;
      }
      try {
        ServedVersion served = new ServedVersion(v, Vae.load(e.getValue(), options));
        loaded.put(v, served);
        failed.remove(v);
        log.println("vae serve: " + name + " version " + v + " is served from " + e.getValue());
      } catch (VaeException | IllegalArgumentException ex) {
        failed.put(v, new Failure(ex.getMessage(), fingerprint));
        log.println("vae serve: " + name + " version " + v + " is not served: " + ex.getMessage());
      }
    }
    for (Long v : new ArrayList<>(loaded.keySet())) {
      if (!present.containsKey(v)) {
        ServedVersion gone = loaded.remove(v);
        log.println("vae serve: " + name + " version " + v + " is gone from " + folder + " and no longer served");
        gone.vae().close();
      }
    }
    failed.keySet().retainAll(present.keySet());
    return loaded.size();
  }

  /** The version a request asks for (null: the highest), or throws the 404 TF Serving gives. */
  ServedVersion version(Long asked) {
    Map.Entry<Long, ServedVersion> highest = loaded.lastEntry();
    ServedVersion v = asked == null ? (highest == null ? null : highest.getValue()) : loaded.get(asked);
    if (v == null) {
      throw new Predict.NotFound(asked == null ? "model '" + name + "' has no version that could be loaded"
          + reasons() : "model '" + name + "' has no version " + asked + " being served" + reason(asked));
    }
    return v;
  }

  private String reasons() {
    synchronized (this) {
      return failed.isEmpty() ? "" : ": " + failed.values().iterator().next().reason();
    }
  }

  private String reason(long v) {
    synchronized (this) {
      Failure f = failed.get(v);
      return f == null ? "" : ": " + f.reason();
    }
  }

  /** TF Serving's GetModelStatusResponse in JSON: every version (or the one asked for), newest first. */
  Map<String, Object> status(Long asked) {
    List<Object> versions = new ArrayList<>();
    synchronized (this) {
      NavigableMap<Long, String> all = new TreeMap<>();
      loaded.keySet().forEach(v -> all.put(v, null));
      failed.forEach((v, f) -> all.put(v, f.reason()));
      if (asked != null && !all.containsKey(asked)) {
        throw new Predict.NotFound("model '" + name + "' has no version " + asked);
      }
      for (Map.Entry<Long, String> e : all.descendingMap().entrySet()) {
        if (asked != null && !asked.equals(e.getKey())) {
          continue;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("error_code", e.getValue() == null ? "OK" : "INVALID_ARGUMENT");
        status.put("error_message", e.getValue() == null ? "" : e.getValue());
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("version", String.valueOf(e.getKey()));
        one.put("state", e.getValue() == null ? "AVAILABLE" : "END");
        one.put("status", status);
        versions.add(one);
      }
    }
    return Map.of("model_version_status", versions);
  }

  /** Integer-named version folders holding a saved_model.pb, or the folder itself. */
  private Map<Long, Path> versionsOnDisk() {
    if (ModelPaths.holdsGraph(folder)) {
      String own = folder.getFileName() == null ? "" : folder.getFileName().toString();
      return Map.of(own.matches("\\d{1,18}") ? Long.parseLong(own) : 1L, folder);
    }
    try {
      return ModelPaths.versions(folder);
    } catch (VaeException e) {
      log.println("vae serve: " + e.getMessage());
      return Map.of();
    }
  }

  /** Names, sizes and times of a version folder's files: a failed version is retried when they change. */
  private static String fingerprint(Path version) {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(version, 4)) {
      files.sorted().forEach(p -> {
        try {
          b.append(p).append(Files.size(p)).append(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
          b.append(p).append('?');
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      b.append('?');
    }
    return b.toString();
  }

  @Override
  public synchronized void close() {
    if (given != null) {
      return;
    }
    loaded.values().forEach(v -> v.vae().close());
    loaded.clear();
  }
}
