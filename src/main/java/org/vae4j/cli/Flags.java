package org.vae4j.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vae4j.VaeException;

/**
 * The command line's names for the library's settings: library messages name a setting by its field
 * ({@code latentDim}) and list it in {@link VaeException#fields()}; what the command line prints names the flag
 * ({@code --latent-dim}).
 */
final class Flags {
  private static final Map<String, String> BY_FIELD = Map.ofEntries(
      Map.entry("architecture", "--architecture"), Map.entry("likelihood", "--likelihood"),
      Map.entry("stddev", "--stddev"), Map.entry("latentDim", "--latent-dim"), Map.entry("hidden", "--hidden"),
      Map.entry("convChannels", "--conv-channels"), Map.entry("convDense", "--conv-dense"),
      Map.entry("classes", "--conditioning"), Map.entry("observe", "--observe"),
      Map.entry("regressor", "--regressor"),
      Map.entry("sigma", "--sigma"), Map.entry("keepCheckpoints", "--keep-checkpoints"),
      Map.entry("freeBits", "--free-bits"), Map.entry("mcSamples", "--mc-samples"),
      Map.entry("optimizer", "--optimizer"), Map.entry("learningRate", "--learning-rate"),
      Map.entry("momentum", "--momentum"), Map.entry("clipValue", "--clip-value"),
      Map.entry("clipNorm", "--clip-norm"), Map.entry("onNan", "--on-nan"),
      Map.entry("checkpointEvery", "--checkpoint-every"), Map.entry("patience", "--early-stopping"),
      Map.entry("klAnneal", "--kl-anneal"), Map.entry("klWeight", "--kl-weight"),
      Map.entry("klWarmupSteps", "--kl-warmup-steps"), Map.entry("klBalance", "--kl-balance"),
      Map.entry("lrSchedule", "--lr-schedule"), Map.entry("lrWarmupSteps", "--lr-warmup-steps"),
      Map.entry("lrDecayRate", "--lr-decay-rate"), Map.entry("epochs", "--epochs"),
      Map.entry("batchSize", "--batch-size"), Map.entry("limit", "--limit"), Map.entry("channels", "--channels"),
      Map.entry("testFraction", "--test-fraction"), Map.entry("strict", "--strict"),
      Map.entry("dataset", "--dataset"), Map.entry("offline", "--offline"), Map.entry("binarize", "--binarize"),
      Map.entry("dims", "--dims"), Map.entry("scale", "--scale"), Map.entry("device", "--device"),
      Map.entry("trusted", "--trust"), Map.entry("validation", "--validation"),
      Map.entry("modelVersion", "--model-version"), Map.entry("folder", "--out"),
      Map.entry("imageSize", "--image-size"), Map.entry("bound", "--objective"),
      Map.entry("emaDecay", "--ema"), Map.entry("output", "--output"), Map.entry("outputFormat", "--format"),
      Map.entry("table", "--input"), Map.entry("tableFormat", "--input-format"), Map.entry("images", "--dataset"),
      Map.entry("pictureFolder", "--data"), Map.entry("importanceSamples", "--importance-samples"),
      Map.entry("inputCol", "--input-col"), Map.entry("weights", "--weights"),
      Map.entry("master", "--master"), Map.entry("initFrom", "--init-from"),
      Map.entry("cache", "--cache-dir"), Map.entry("step", "--step"));

  private Flags() {}

  /** The flag of a library field, or the field itself when the command line has none. */
  static String of(String field) {
    return BY_FIELD.getOrDefault(field, field);
  }

  /** The message of {@code e} with the settings it names shown as flags. */
  static String show(Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof VaeException v) {
      for (String field : v.fields()) {
        Pattern word = Pattern.compile("(?<![\\w-])" + Pattern.quote(field) + "(?![\\w-])");
        message = word.matcher(message).replaceAll(Matcher.quoteReplacement(of(field)));
      }
    }
    return message;
  }
}
