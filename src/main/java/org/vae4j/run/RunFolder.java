package org.vae4j.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.vae4j.VaeException;
import org.vae4j.contract.ModelPaths;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.train.Checkpoints;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.util.FolderLock;

/**
 * The layout of a training run's folder, in one place: {@code spec.json} (model, training options, data), the
 * metrics files, {@code checkpoints/}, {@code savedmodel/<version>/}, the pictures and {@code snapshots/}, and the
 * lock that keeps one writer at a time.
 */
public final class RunFolder {
  /** The model, training options and data of the run, written once when it starts. */
  public static final String SPEC = "spec.json";

  private final Path dir;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /** The run folder at {@code dir} (nothing is checked or created). */
  public static RunFolder at(Path dir) {
    return new RunFolder(dir);
  }

  /** The run folder itself. */
  public Path dir() {
    return dir;
  }

  /** The run's {@code spec.json}. */
  public Path specFile() {
    return dir.resolve(SPEC);
  }

  /** Where the exported versions go (TF Serving's model base path). */
  public Path savedModels() {
    return dir.resolve("savedmodel");
  }

  /** The folder of exported version {@code version}, under {@link #savedModels()}. */
  public Path version(long version) {
    return savedModels().resolve(Long.toString(version));
  }

  /** The grid of samples a finished run draws from its export. */
  public Path samplesPng() {
    return dir.resolve("samples.png");
  }

  /** The test images beside their reconstructions, drawn from the export. */
  public Path reconstructionsPng() {
    return dir.resolve("reconstructions.png");
  }

  /** Where the per-epoch sample grids go ({@code epoch-001.png}, ...) when snapshots are on. */
  public Path snapshots() {
    return dir.resolve("snapshots");
  }

  /** The animated GIF gathered from the snapshots at the end of a run. */
  public Path snapshotsGif() {
    return dir.resolve("snapshots.gif");
  }

  /** The run's checkpoints, keeping the newest {@code keep} step checkpoints. */
  Checkpoints checkpoints(int keep) {
    return new Checkpoints(dir, keep);
  }

  /** Whether the folder holds a run (its spec). */
  public boolean isRun() {
    return Files.isRegularFile(specFile());
  }

  /**
   * Refuses a folder that already holds something: a new run never writes over what a user had.
   *
   * @throws VaeException naming the folder
   */
  public void checkFresh() throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw VaeException.setting("folder " + dir + " is a file; give a folder to create", "folder");
      }
      try (Stream<Path> children = Files.list(dir)) {
        if (children.findAny().isPresent()) {
          throw VaeException.setting("folder " + dir + " exists and is not empty; choose a new folder", "folder");
        }
      }
    }
  }

  /** Creates the folder and takes its lock (released by closing it, or when the process ends). */
  FolderLock lock(String doing) throws IOException {
    Files.createDirectories(dir);
    return FolderLock.acquire(dir, doing);
  }

  /** The run's spec as written when it started. */
  public Map<String, Object> readSpec() {
    if (!isRun()) {
      throw new VaeException(dir + " is not a training run: it has no " + SPEC);
    }
    try {
      return Json.parseObject(Files.readString(specFile(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new VaeException("cannot read " + specFile() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new VaeException(specFile() + " is not a valid run spec: " + e.getMessage(), e);
    }
  }

  void writeSpec(Map<String, Object> spec) throws IOException {
    Files2.writeAtomically(specFile(), (Json.write(spec) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The checkpoint an export takes: the best by validation when there is one, else the newest, else the single
   * {@code checkpoint/} of runs written by vae4j 0.1.0 before checkpoints were kept by step.
   */
  public Optional<Path> exportCheckpoint() {
    Checkpoints checkpoints = checkpoints(1);
    return checkpoints.best().or(checkpoints::latest).map(Checkpoints.Saved::prefix).or(this::legacyCheckpoint);
  }

  /** The single {@code checkpoint/} of runs written by vae4j 0.1.0, when the folder has one. */
  Optional<Path> legacyCheckpoint() {
    Path legacy = dir.resolve("checkpoint").resolve("variables");
    return Files.isRegularFile(Path.of(legacy + ".index")) ? Optional.of(legacy) : Optional.empty();
  }

  /** {@code wanted} when that version is free, else one above the highest version there. */
  public long freeVersion(long wanted) {
    if (!Files.isDirectory(version(wanted))) {
      return wanted;
    }
    return ModelPaths.highestVersion(savedModels()).map(p -> Long.parseLong(p.getFileName().toString()) + 1)
        .orElse(wanted + 1);
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
