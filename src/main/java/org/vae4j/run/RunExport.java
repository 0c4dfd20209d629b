package org.vae4j.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.ModelPaths;
import org.vae4j.internal.export.SavedModelExport;
import org.vae4j.internal.model.InferenceGraph;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.train.Checkpoints;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.util.FolderLock;
import org.vae4j.internal.util.SafeFiles;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/**
 * Exports a run's training checkpoint (its best by validation when it kept one, else its newest, or a step
 * checkpoint it kept) as a new SavedModel version with this vae4j, so a model gains what a newer contract offers
 * without training again, an interrupted run gets a model, and the models a run passed through can be compared.
 * The card's figures carry over from an earlier export of the same checkpoint and weights: the newest such in the
 * run's own {@code savedmodel/}; in another base folder, which may hold other runs' models, only from its newest.
 */
public final class RunExport {
  private RunExport() {}

  /**
   * @param base where the versions go; null for the run's {@code savedmodel/}
   * @param version the version to write; 0 for one above the highest there
   * @return the version folder written
   * @throws VaeException when the folder is not a run, the version exists, or another process uses the run
   */
  public static Path export(Path runDir, Path base, long version) throws IOException {
    return export(runDir, base, version, null);
  }

  /**
   * {@link #export(Path, Path, long)} with the weights chosen: {@link Weights#LAST} or {@link Weights#AVERAGED} (the
   * moving average of a run trained with one), or null for what the run's own export used (the average when it
   * kept one). The card's training record says which ({@code exported_weights}).
   *
   * @throws VaeException also when the average is asked of a run that kept none
   */
  public static Path export(Path runDir, Path base, long version, Weights weights) throws IOException {
    return export(runDir, base, version, weights, 0);
  }

  /**
   * {@link #export(Path, Path, long, Weights)} of a chosen step checkpoint: the one written after update {@code
   * step} ({@code checkpoints/step-NNNNNNNNNN/}, still kept by the run: {@code keepCheckpoints} of them are), or 0
   * for the run's own choice. The card's training record names the checkpoint ({@code exported_steps}, {@code
   * exported_epoch}: the epochs finished then), and figures carry over only from an export of the same checkpoint and
   * weights.
   *
   * @throws VaeException also when the run kept no checkpoint at that step (the message lists those it kept) or
   *     the step is negative
   */
  public static Path export(Path runDir, Path base, long version, Weights weights, long step) throws IOException {
    if (step < 0) {
      throw VaeException.setting("step must be 0 (the run's own checkpoint) or positive, got " + step, "step");
    }
    RunFolder run = RunFolder.at(runDir);
    if (!run.isRun()) {
      throw notARun(run);
    }
    // the run's lock: no training writes or prunes checkpoints while they are read, nor exports beside this one
    try (FolderLock lock = run.lock("exporting it")) {
      Checkpoints checkpoints = run.checkpoints(Integer.MAX_VALUE);
      Optional<Checkpoints.Saved> state = step > 0 ? checkpoints.atStep(step)
          : checkpoints.best().or(checkpoints::latest);
      if (step > 0 && state.isEmpty()) {
        List<Long> kept = checkpoints.keptSteps();
        throw VaeException.setting("step " + step + " is not a checkpoint " + run + " kept" + (kept.isEmpty()
            ? " (it kept none by update)" : "; it kept those after updates " + kept.stream().map(String::valueOf)
            .collect(Collectors.joining(", "))), "step");
      }
      Optional<Path> saved = state.map(Checkpoints.Saved::prefix).or(run::legacyCheckpoint);
      if (saved.isEmpty()) {
        throw notARun(run);
      }
      Map<String, Object> specMap = run.readSpec();
      VaeSpec spec = VaeSpec.fromMap(specMap, run.specFile().toString());
      Path target = base == null ? run.savedModels() : base;
      Optional<Path> latest = ModelPaths.highestVersion(target);
      long v = version > 0 ? version : latest.map(p -> Long.parseLong(p.getFileName().toString()) + 1).orElse(1L);
      boolean hasAverage = specMap.get("training") instanceof Map<?, ?> m && m.containsKey("ema_decay");
      if (weights == Weights.AVERAGED && !hasAverage) {
        throw VaeException.setting(run + " kept no moving average of its weights (it was trained without emaDecay),"
            + " so only its last weights can be exported", "weights");
      }
      Weights chosen = weights != null ? weights : hasAverage ? Weights.AVERAGED : Weights.LAST;
      ModelCard card = card(spec, specMap, target, target.equals(run.savedModels()), chosen,
          state.map(Checkpoints.Saved::state).orElse(null), step == 0);
      if (target.equals(run.savedModels())) {
        Files2.deleteLeftovers(target, p -> false); // of exports killed mid-write
      }
      return SavedModelExport.export(spec, saved.get(), chosen, card, target, v, Sessions.cpu());
    }
  }

  private static VaeException notARun(RunFolder run) {
    return new VaeException(run + " is not a training run: it needs spec.json and a checkpoint in checkpoints/");
  }

  /**
   * The newest export's card (dataset, training record) with this vae4j's version and parameter count, the record
   * naming the checkpoint exported; the figures of the newest export of the same checkpoint and weights, if any
   * (figures of other weights or steps would describe another model), looked for among the older versions only in
   * the run's own folder ({@code ownFolder}). {@code ownChoice}: the run's own checkpoint is exported, not a step.
   */
  private static ModelCard card(VaeSpec spec, Map<String, Object> specMap, Path base, boolean ownFolder,
      Weights weights, Checkpoints.State state, boolean ownChoice) throws IOException {
    String dataset = String.valueOf(specMap.getOrDefault("dataset", "unknown"));
    @SuppressWarnings("unchecked")
    Map<String, Object> training = specMap.get("training") instanceof Map<?, ?> t
        ? (Map<String, Object>) t : new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    List<Path> versions = List.copyOf(ModelPaths.versions(base).descendingMap().values());
    for (int i = 0; i < versions.size(); i++) {
      boolean newest = i == 0;
      if (!newest && !ownFolder) {
        break; // a shared folder's older versions may be other runs' models: only the newest is this run's export
      }
      Optional<ModelCard> old;
      try {
        old = readCard(versions.get(i));
      } catch (VaeException e) {
        if (newest) {
          throw e;
        }
        continue; // an older card that cannot be read has no figures to give
      }
      if (old.isEmpty()) {
        continue;
      }
      Map<String, Object> said = old.get().training();
      if (newest) {
        dataset = old.get().dataset();
        training = said;
      }
      if (weights == exportedBy(said) && sameCheckpoint(said, state, newest && ownChoice)) {
        metrics.putAll(old.get().metrics());
        break;
      }
    }
    if (state != null) {
      training = new LinkedHashMap<>(training);
      training.put("exported_epoch", state.progress().epoch() - 1);
      training.put("exported_steps", state.steps());
      training.put("skipped_batches", state.skippedBatches());
    }
    if (training.containsKey("ema_decay")) {
      training = new LinkedHashMap<>(training);
      training.put("exported_weights", label(weights, training));
    }
    long parameters;
    try (Graph g = new Graph()) {
      parameters = InferenceGraph.build(Ops.create(g), spec, SavedModelExport.DEFAULT_SCORE_SAMPLES).parameters
          .trainableCount();
    }
    return SavedModelExport.card(spec, dataset, parameters, training, metrics);
  }

  /** A version's card, when it has one. */
  private static Optional<ModelCard> readCard(Path version) throws IOException {
    Path file = version.resolve(Contract.MODEL_CARD);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ModelCard.fromJson(SafeFiles.readUtf8(file, version, 1 << 20, "model card"),
          file.toString()));
    } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
      throw new VaeException(file + " cannot carry its figures over: " + e.getMessage(), e);
    }
  }

  /**
   * Whether a card's training record names the checkpoint of that state. A record that does not say (exports of
   * interrupted runs by earlier versions, checkpoints without a state) is taken to, as before records said, only
   * when it is the newest export and the run's own checkpoint is exported.
   */
  private static boolean sameCheckpoint(Map<String, Object> training, Checkpoints.State state, boolean assumed) {
    if (state != null && training.get("exported_steps") instanceof Number n) {
      return n.longValue() == state.steps();
    }
    return assumed;
  }

  /** The weights a card's training record says its export has (a run's own export says so only for averages). */
  private static Weights exportedBy(Map<String, Object> training) {
    Object said = training.get("exported_weights");
    if (said != null) {
      return String.valueOf(said).startsWith("moving average") ? Weights.AVERAGED : Weights.LAST;
    }
    return training.containsKey("ema_decay") ? Weights.AVERAGED : Weights.LAST;
  }

  /** As the training run's own card says it: "last", or "moving average, decay D". */
  private static String label(Weights w, Map<String, Object> training) {
    if (w == Weights.LAST) {
      return "last";
    }
    Object said = training.get("exported_weights");
    return said != null && String.valueOf(said).startsWith("moving average") ? String.valueOf(said)
        : "moving average, decay " + training.get("ema_decay");
  }
}
