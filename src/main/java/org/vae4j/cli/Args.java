package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** Typed option values with messages that name the option and the accepted range. */
final class Args {
  private Args() {}

  static Option value(String longName, String arg, String description) {
    return Option.builder().longOpt(longName).hasArg().argName(arg).desc(description).build();
  }

  static Option flag(String longName, String description) {
    return Option.builder().longOpt(longName).desc(description).build();
  }

  static Option model() {
    return value("model", "DIR", "SavedModel version folder, its base folder, or a run folder");
  }

  /** The options of every command that loads a model: --model and --trust. */
  static Options modelOptions() {
    return new Options().addOption(model()).addOption(trust());
  }

  static Option trust() {
    return flag("trust", "load a model whose graph holds ops that read or write files or print (a SavedModel is"
        + " code, and loading runs its init op: only for models from a source you trust)");
  }

  /** The model of --model, loaded with --trust when given. */
  static org.vae4j.serve.Vae loadModel(CommandLine line) {
    return loadModel(line, "model");
  }

  /** The model of the folder option {@code name}, loaded with --trust when given. */
  static org.vae4j.serve.Vae loadModel(CommandLine line, String name) {
    org.vae4j.serve.VaeOptions options = org.vae4j.serve.VaeOptions.defaults();
    return org.vae4j.serve.Vae.load(requiredPath(line, name), line.hasOption("trust") ? options.trusting()
        : options);
  }

  static Option png() {
    return value("png", "FILE", "PNG file to write");
  }

  static Option scale() {
    return value("scale", "N", "pixels per image pixel (default 2)");
  }

  static Option device() {
    return value("device", "cpu|gpu|auto", "where TensorFlow runs (default auto)");
  }

  static Option latentDim() {
    return value("latent-dim", "N", "size of the latent code z (default 32)");
  }

  static Option batchSize() {
    return value("batch-size", "N", "images per training step (default 128)");
  }

  static int integer(CommandLine line, String name, int fallback, int min, int max) {
    String text = line.getOptionValue(name);
    if (text == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(text.trim().replace("_", ""));
      if (v < min || v > max) {
        throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
    }
  }

  static long longValue(CommandLine line, String name, long fallback) {
    String text = line.getOptionValue(name);
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
    }
  }

  static float positive(CommandLine line, String name, float fallback) {
    return positive(line, name, fallback, Float.MAX_VALUE);
  }

  /** A number in (0, max]. */
  static float positive(CommandLine line, String name, float fallback, float max) {
    String text = line.getOptionValue(name);
    if (text == null) {
      return fallback;
    }
    try {
      float v = Float.parseFloat(text.trim());
      if (!(v > 0) || !Float.isFinite(v)) {
        throw new UsageException("--" + name + " must be a positive number, got " + text);
      }
      if (v > max) {
        throw new UsageException("--" + name + " must be at most " + max + ", got " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + text + "'");
    }
  }

  /** {@code --device}, default auto. */
  static org.vae4j.spec.Device parseDevice(CommandLine line) {
    try {
      return org.vae4j.spec.Device.parse(line.getOptionValue("device", "auto"));
    } catch (org.vae4j.VaeException e) {
      throw new UsageException(Flags.show(e));
    }
  }

  /** An enumerated option: {@code parse} turns the text into a value or throws a VaeException naming the choices. */
  static <T> T choice(CommandLine line, String name, T fallback, java.util.function.Function<String, T> parse) {
    String text = line.getOptionValue(name);
    if (text == null) {
      return fallback;
    }
    try {
      return parse.apply(text);
    } catch (org.vae4j.VaeException e) {
      throw new UsageException(Flags.show(e));
    }
  }

  /** A number of at least 0 (0 usually meaning "off"). */
  static float nonNegative(CommandLine line, String name, float fallback) {
    String text = line.getOptionValue(name);
    if (text == null) {
      return fallback;
    }
    try {
      float v = Float.parseFloat(text.trim());
      if (!(v >= 0) || !Float.isFinite(v)) {
        throw new UsageException("--" + name + " must be 0 or a positive number, got " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + text + "'");
    }
  }

  /** A number of at least 0 kept as the decimal written (a double parsed from the text, not a widened float). */
  static double decimal(CommandLine line, String name, double fallback) {
    String text = line.getOptionValue(name);
    if (text == null) {
      return fallback;
    }
    try {
      double v = Double.parseDouble(text.trim());
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new UsageException("--" + name + " must be 0 or a positive number, got " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + text + "'");
    }
  }

  /** A comma-separated list of whole numbers in [min, max], such as {@code 512,256}. */
  static int[] integers(CommandLine line, String name, int[] fallback, int min, int max) {
    String text = line.getOptionValue(name);
    if (text == null) {
      return fallback.clone();
    }
    String[] parts = text.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + " must be comma-separated whole numbers such as 512,256, got '"
            + text + "'");
      }
      if (out[i] < min || out[i] > max) {
        throw new UsageException("--" + name + " sizes must be between " + min + " and " + max + ", got " + out[i]);
      }
    }
    return out;
  }

  /** Refuses an option that only applies when {@code applies} is true. */
  static void onlyWith(CommandLine line, String name, boolean applies, String when) {
    if (line.hasOption(name) && !applies) {
      throw new UsageException("--" + name + " applies only " + when);
    }
  }

  static Path path(CommandLine line, String name) {
    String text = line.getOptionValue(name);
    return text == null ? null : Path.of(text);
  }

  static Path requiredPath(CommandLine line, String name) {
    Path p = path(line, name);
    if (p == null) {
      throw new UsageException("--" + name + " is required");
    }
    return p;
  }
}
