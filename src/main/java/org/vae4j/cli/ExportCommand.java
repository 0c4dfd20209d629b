package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.ModelPaths;
import org.vae4j.export.SavedModelExport;
import org.vae4j.json.Json;
import org.vae4j.model.InferenceGraph;
import org.vae4j.model.VaeSpec;
import org.vae4j.tf.Device;
import org.vae4j.train.Checkpoints;
import org.vae4j.util.Files2;
import org.vae4j.util.FolderLock;

/**
 * {@code vae export}: writes a run's training checkpoint (its best by validation when it kept one, else its newest)
 * as a new SavedModel version with this vae4j, so a model gains what a newer contract offers without training
 * again. The model card's figures carry over from the run's latest export.
 */
final class ExportCommand extends Command {
  ExportCommand() {
    super("export", "export a training run's checkpoint again, as a new SavedModel version", "--run DIR [options]");
  }

  @Override
  Options options() {
    return new Options()
        .addOption(Args.value("run", "DIR", "run folder of 'vae train' (with spec.json and checkpoints/)"))
        .addOption(Args.value("out", "DIR", "base folder of the versions (default: the run's savedmodel/)"))
        .addOption(Args.value("model-version", "N", "version to write (default: one above the highest there)"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path run = Args.requiredPath(line, "run");
    Path specFile = run.resolve("spec.json");
    Checkpoints checkpoints = new Checkpoints(run, 1);
    Optional<Path> saved = checkpoints.best().or(checkpoints::latest).map(Checkpoints.Saved::prefix);
    // runs of vae4j 0.1.0 before checkpoints/ kept one checkpoint/ folder
    Path legacy = run.resolve("checkpoint").resolve("variables");
    if (saved.isEmpty() && Files.isRegularFile(Path.of(legacy + ".index"))) {
      saved = Optional.of(legacy);
    }
    if (!Files.isRegularFile(specFile) || saved.isEmpty()) {
      throw new VaeException(run + " is not a training run: it needs spec.json and a checkpoint in checkpoints/");
    }
    Path checkpoint = saved.get();
    Map<String, Object> specMap = Json.parseObject(Files.readString(specFile, StandardCharsets.UTF_8));
    VaeSpec spec = VaeSpec.fromMap(specMap, specFile.toString());
    Path base = line.hasOption("out") ? Path.of(line.getOptionValue("out")) : run.resolve("savedmodel");
    Optional<Path> latest = ModelPaths.highestVersion(base);
    long version = Args.longValue(line, "model-version",
        latest.map(p -> Long.parseLong(p.getFileName().toString()) + 1).orElse(1L));
    if (version < 1) {
      throw new UsageException("--model-version must be a positive whole number, got " + version);
    }
    ModelCard card = card(spec, specMap, latest, run);
    Path written;
    // the run's lock: no training writes checkpoints while they are read, nor exports beside this one
    try (FolderLock lock = FolderLock.acquire(run, "exporting it")) {
      if (base.equals(run.resolve("savedmodel"))) {
        Files2.deleteLeftovers(base, p -> false); // of exports killed mid-write
      }
      written = SavedModelExport.export(spec, checkpoint, card, base, version, org.vae4j.tf.Sessions.cpu());
    }
    io.out().println("exported " + run + " as " + written);
    return Main.OK;
  }

  /** The latest export's card (dataset, training record, figures) with this vae4j's version and parameter count. */
  private static ModelCard card(VaeSpec spec, Map<String, Object> specMap, Optional<Path> latest, Path run)
      throws java.io.IOException {
    String dataset = String.valueOf(specMap.getOrDefault("dataset", "unknown"));
    @SuppressWarnings("unchecked")
    Map<String, Object> training = specMap.get("training") instanceof Map<?, ?> t
        ? (Map<String, Object>) t : new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (latest.isPresent()) {
      Path file = latest.get().resolve(Contract.MODEL_CARD);
      if (Files.isRegularFile(file)) {
        ModelCard old = ModelCard.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        dataset = old.dataset();
        training = old.training();
        metrics.putAll(old.metrics());
      }
    }
    long parameters;
    try (Graph g = new Graph()) {
      parameters = InferenceGraph.build(Ops.create(g), spec, SavedModelExport.DEFAULT_SCORE_SAMPLES).parameters
          .trainableCount();
    }
    return SavedModelExport.card(spec, dataset, parameters, training, metrics);
  }
}
