package org.vae4j.internal.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.vae4j.VaeException;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;

/**
 * A run's checkpoints: {@code checkpoints/step-NNNNNNNNNN/} folders, each with every variable (weights, batch-norm
 * statistics, optimizer slots) and a {@code state.json} saying where training stood, plus {@code checkpoints/best/}
 * (best validation ELBO). Each folder is written under a temporary name and renamed, so a crash while writing
 * leaves the previous checkpoints intact; only the last {@code keep} step folders are kept.
 *
 * <p>What a checkpoint does not need to hold is derived: the data order of an epoch comes from (seed, epoch), the
 * noise and the dynamic binarization of a step from (seed, step), and the learning rate from the step.
 */
public final class Checkpoints {
  static final String STATE = "state.json";
  private static final String STEP = "step-";
  private final Path dir;
  private final int keep;
  private final VariableWriter writer;

  /** Writes a session's variables under a prefix (a seam: tests make it fail as a full disk does). */
  @FunctionalInterface
  interface VariableWriter {
    void write(TrainingSession session, Path prefix) throws IOException;
  }

  /**
   * Where training stood.
   *
   * @param steps optimizer updates applied
   * @param progress the epoch in progress and the batches done in it (a finished epoch has all its batches done)
   * @param klBalance the adaptive KL weight
   * @param bestValidation best validation ELBO so far (NaN before the first, or without validation)
   * @param bestEpoch the epoch that reached it (0: none)
   * @param skippedBatches batches skipped because their loss was not finite
   */
  public record State(long steps, EpochProgress progress, double klBalance, double bestValidation,
      int bestEpoch, long skippedBatches) {

    String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("steps", steps);
      m.put("epoch", progress.epoch());
      m.put("batches_done", progress.batchesDone());
      m.put("reconstruction_sum", progress.reconstructionSum());
      m.put("kl_sum", progress.klSum());
      m.put("images", progress.images());
      m.put("seconds", progress.seconds());
      m.put("kl_balance", klBalance);
      m.put("best_validation_elbo", Double.isFinite(bestValidation) ? bestValidation : null);
      m.put("best_epoch", bestEpoch);
      m.put("skipped_batches", skippedBatches);
      return Json.write(m) + "\n";
    }

    static State fromJson(String text, String source) {
      try {
        Map<String, Object> m = Json.parseObject(text);
        Object best = m.get("best_validation_elbo");
        return new State(num(m, "steps").longValue(), new EpochProgress(num(m, "epoch").intValue(),
            num(m, "batches_done").intValue(), num(m, "reconstruction_sum").doubleValue(),
            num(m, "kl_sum").doubleValue(), num(m, "images").intValue(), num(m, "seconds").doubleValue()),
            num(m, "kl_balance").doubleValue(), best instanceof Number n ? n.doubleValue() : Double.NaN,
            num(m, "best_epoch").intValue(), num(m, "skipped_batches").longValue());
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new VaeException(source + " is not a valid checkpoint state: " + e.getMessage(), e);
      }
    }

    private static Number num(Map<String, Object> m, String key) {
      Object v = m.get(key);
      if (!(v instanceof Number n)) {
        throw new IllegalArgumentException("'" + key + "' is missing");
      }
      return n;
    }
  }

  /** A checkpoint on disk. */
  public record Saved(Path dir, State state) {
    /** The prefix TensorFlow restores from. */
    public Path prefix() {
      return dir.resolve(TrainingSession.CHECKPOINT_PREFIX);
    }
  }

  public Checkpoints(Path runDir, int keep) {
    this(runDir, keep, TrainingSession::saveVariables);
  }

  Checkpoints(Path runDir, int keep, VariableWriter writer) {
    if (keep < 1) {
      throw VaeException.setting("keepCheckpoints must be at least 1, got " + keep, "keepCheckpoints");
    }
    this.dir = runDir.resolve("checkpoints");
    this.keep = keep;
    this.writer = writer;
  }

  public Path dir() {
    return dir;
  }

  /** Writes a step checkpoint and drops the oldest beyond {@code keep}. */
  public Saved save(TrainingSession session, State state) {
    Path target = stepFolder(state.steps());
    Saved saved = write(session, state, target);
    prune();
    return saved;
  }

  /** Replaces the best checkpoint. */
  public Saved saveBest(TrainingSession session, State state) {
    return write(session, state, dir.resolve("best"));
  }

  private Saved write(TrainingSession session, State state, Path target) {
    Path tmp = Files2.siblingTemp(target);
    try {
      Files.createDirectories(tmp);
      writer.write(session, tmp.resolve(TrainingSession.CHECKPOINT_PREFIX));
      Files2.writeAtomically(tmp.resolve(STATE), state.toJson().getBytes(StandardCharsets.UTF_8));
      Files2.replaceDirectory(tmp, target);
      return new Saved(target, state);
    } catch (IOException | RuntimeException e) {
      Files2.deleteQuietly(tmp);
      throw new VaeException("cannot write the checkpoint " + target + " (the previous ones are kept): "
          + e.getMessage(), e);
    }
  }

  private void prune() {
    List<Path> steps = stepFolders();
    for (int i = 0; i < steps.size() - keep; i++) {
      Files2.deleteQuietly(steps.get(i));
    }
    // a crash while writing leaves a hidden folder behind; one run writes here at a time (the run folder's lock),
    // so all are stale. Kept: a complete one whose target is missing (a crash between the two renames of a
    // replacement), which may be the only copy
    Files2.deleteLeftovers(dir, p -> Files.notExists(dir.resolve(Files2.leftoverTarget(p)))
        && Files.isRegularFile(p.resolve(STATE)));
  }

  /** Complete step folders (with their state), oldest first; leftovers of interrupted writes are not listed. */
  private List<Path> stepFolders() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return new ArrayList<>(children.filter(p -> p.getFileName().toString().matches(STEP + "\\d{10}"))
          .filter(p -> Files.isRegularFile(p.resolve(STATE)))
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList());
    } catch (IOException e) {
      throw new VaeException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The newest complete step checkpoint. */
  public Optional<Saved> latest() {
    List<Path> steps = stepFolders();
    return steps.isEmpty() ? Optional.empty() : Optional.of(read(steps.get(steps.size() - 1)));
  }

  /** The step checkpoint written after update {@code steps}, when it is still kept. */
  public Optional<Saved> atStep(long steps) {
    Path folder = stepFolder(steps);
    return steps >= 0 && Files.isRegularFile(folder.resolve(STATE)) ? Optional.of(read(folder)) : Optional.empty();
  }

  /** The updates after which the kept step checkpoints were written, oldest first. */
  public List<Long> keptSteps() {
    return stepFolders().stream().map(p -> Long.parseLong(p.getFileName().toString().substring(STEP.length())))
        .toList();
  }

  private Path stepFolder(long steps) {
    return dir.resolve(STEP + String.format("%010d", steps));
  }

  /** The best checkpoint, when validation kept one. */
  public Optional<Saved> best() {
    Path best = dir.resolve("best");
    return Files.isRegularFile(best.resolve(STATE)) ? Optional.of(read(best)) : Optional.empty();
  }

  private static Saved read(Path folder) {
    Path file = folder.resolve(STATE);
    try {
      return new Saved(folder, State.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
    } catch (IOException e) {
      throw new VaeException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
