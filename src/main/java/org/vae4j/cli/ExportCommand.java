package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.run.RunExport;
import org.vae4j.spec.Weights;

/** {@code vae export}: a run's checkpoint as a new SavedModel version ({@link RunExport}). */
final class ExportCommand extends Command {
  ExportCommand() {
    super("export", "export a training run's checkpoint again, as a new SavedModel version", "--run DIR [options]");
  }

  @Override
  Options options() {
    return new Options()
        .addOption(Args.value("run", "DIR", "run folder of 'vae train' (with spec.json and checkpoints/)"))
        .addOption(Args.value("out", "DIR", "base folder of the versions (default: the run's savedmodel/)"))
        .addOption(Args.value("model-version", "N", "version to write (default: one above the highest there)"))
        .addOption(Args.value("weights", "last|averaged", "which weights: the last, or their moving average of a"
            + " run trained with --ema (default: what the run's own export used, the average when it kept one)"))
        .addOption(Args.value("step", "N", "export the step checkpoint written after update N (one the run kept:"
            + " see --keep-checkpoints of train) instead of the run's own (its best, else its newest)"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path base = line.hasOption("out") ? Path.of(line.getOptionValue("out")) : null;
    long version = Args.longValue(line, "model-version", 0);
    if (line.hasOption("model-version") && version < 1) {
      throw new UsageException("--model-version must be a positive whole number, got " + version);
    }
    Weights weights = Args.choice(line, "weights", null, v -> switch (v) {
      case "last" -> Weights.LAST;
      case "averaged" -> Weights.AVERAGED;
      default -> throw new UsageException("--weights must be last or averaged, got '" + v + "'");
    });
    long step = Args.longValue(line, "step", 0);
    if (line.hasOption("step") && step < 1) {
      throw new UsageException("--step must be a positive whole number, got " + step);
    }
    Path written = RunExport.export(Args.requiredPath(line, "run"), base, version, weights, step);
    io.out().println("exported " + Args.requiredPath(line, "run") + " as " + written);
    return Main.OK;
  }
}
