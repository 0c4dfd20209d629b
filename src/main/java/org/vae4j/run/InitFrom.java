package org.vae4j.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.vae4j.VaeException;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.ModelPaths;
import org.vae4j.serve.Vae;
import org.vae4j.serve.VaeOptions;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/**
 * Where a fine-tuning run starts: the weights of an exported SavedModel (loaded once through {@link Vae#load}, so
 * an untrusted model meets the same trust check as any other) or of a training run's checkpoint (its best by
 * validation, else its newest), and the spec they belong to.
 *
 * @param source what was given, as recorded in the run's spec and card
 * @param spec the model the weights are for
 * @param prefix the variables file prefix to read
 * @param stored how the trainable weights are named in it
 */
record InitFrom(String source, VaeSpec spec, Path prefix, Weights stored) {

  static InitFrom resolve(Path path) {
    RunFolder run = RunFolder.at(path);
    if (run.isRun()) {
      Map<String, Object> recorded = run.readSpec();
      Path prefix = run.exportCheckpoint().orElseThrow(() -> VaeException.setting(path
          + " is a training run without a checkpoint to start from", "initFrom"));
      boolean averaged = recorded.get("training") instanceof Map<?, ?> t && t.containsKey("ema_decay");
      return new InitFrom(path.toString(), VaeSpec.fromMap(recorded, run.specFile().toString()), prefix,
          averaged ? Weights.AVERAGED : Weights.LAST);
    }
    Path version = ModelPaths.resolveVersion(path);
    ModelCard card;
    try (Vae model = Vae.load(version, VaeOptions.defaults())) {
      card = model.card();
    }
    Map<String, Object> m = new LinkedHashMap<>(card.model());
    m.put("image_shape", java.util.Arrays.stream(card.imageShape()).boxed().toList());
    m.put("latent_dim", card.latentDim());
    m.put("architecture", card.architecture());
    m.put("likelihood", card.likelihood());
    boolean averaged = String.valueOf(card.training().get("exported_weights")).startsWith("moving average");
    return new InitFrom(version.toString(), VaeSpec.fromMap(m, version.toString()),
        version.resolve("variables").resolve("variables"), averaged ? Weights.AVERAGED : Weights.LAST);
  }

  /**
   * Refuses a run whose model differs from the one the weights belong to, naming the first field that differs.
   */
  void checkSpec(VaeSpec runSpec) {
    Map<String, Object> theirs = spec.toMap();
    Map<String, Object> ours = runSpec.toMap();
    java.util.Set<String> keys = new java.util.LinkedHashSet<>(ours.keySet());
    keys.addAll(theirs.keySet());
    Optional<String> differs = keys.stream()
        .filter(k -> !RunRecords.same(theirs.get(k), ours.get(k))).findFirst();
    if (differs.isPresent()) {
      String key = differs.get();
      String field = key.equals("image_shape") ? "image" : camel(key);
      throw VaeException.setting("the model to start from (" + source + ") has " + field + " "
          + shown(theirs.get(key)) + " but the spec has " + shown(ours.get(key))
          + "; a run starts from the weights of a model of the same spec", field, "initFrom");
    }
  }

  private static String shown(Object v) {
    return v == null ? "none" : org.vae4j.internal.json.Json.writeLine(v);
  }

  /** A spec record's key as the spec's field name ({@code latent_dim} -> {@code latentDim}). */
  private static String camel(String key) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : key.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }
}
