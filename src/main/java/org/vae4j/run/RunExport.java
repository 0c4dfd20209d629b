package org.vae4j.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.ModelPaths;
import org.vae4j.internal.export.SavedModelExport;
import org.vae4j.internal.model.InferenceGraph;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.util.FolderLock;
import org.vae4j.internal.util.SafeFiles;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/**
 * Exports a run's training checkpoint (its best by validation when it kept one, else its newest) as a new
 * SavedModel version with this vae4j, so a model gains what a newer contract offers without training again, or an
 * interrupted run gets a model. The card's figures carry over from the run's latest export.
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
    RunFolder run = RunFolder.at(runDir);
    Optional<Path> saved = run.exportCheckpoint();
    if (!run.isRun() || saved.isEmpty()) {
      throw new VaeException(run + " is not a training run: it needs spec.json and a checkpoint in checkpoints/");
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
    ModelCard card = card(spec, specMap, latest, chosen);
    // the run's lock: no training writes checkpoints while they are read, nor exports beside this one
    try (FolderLock lock = run.lock("exporting it")) {
      if (target.equals(run.savedModels())) {
        Files2.deleteLeftovers(target, p -> false); // of exports killed mid-write
      }
      return SavedModelExport.export(spec, saved.get(), chosen, card, target, v, Sessions.cpu());
    }
  }

  /**
   * The latest export's card (dataset, training record, figures) with this vae4j's version and parameter count;
   * figures carry over only when the weights are those the latest export has.
   */
  private static ModelCard card(VaeSpec spec, Map<String, Object> specMap, Optional<Path> latest, Weights weights)
      throws java.io.IOException {
    String dataset = String.valueOf(specMap.getOrDefault("dataset", "unknown"));
    @SuppressWarnings("unchecked")
    Map<String, Object> training = specMap.get("training") instanceof Map<?, ?> t
        ? (Map<String, Object>) t : new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (latest.isPresent()) {
      Path file = latest.get().resolve(Contract.MODEL_CARD);
      if (Files.isRegularFile(file)) {
        ModelCard old;
        try {
          old = ModelCard.fromJson(SafeFiles.readUtf8(file, latest.get(), 1 << 20, "model card"), file.toString());
        } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
          throw new VaeException(file + " cannot carry its figures over: " + e.getMessage(), e);
        }
        dataset = old.dataset();
        training = old.training();
        if (weights == exportedBy(training)) {
          metrics.putAll(old.metrics()); // figures of other weights would describe another model
        }
      }
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
