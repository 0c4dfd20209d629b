package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.vae4j.VaeException;
import org.vae4j.data.Dataset;
import org.vae4j.run.RunFolder;
import org.vae4j.run.RunOptions;
import org.vae4j.run.RunResult;
import org.vae4j.run.TrainingRun;
import org.vae4j.spec.Device;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/**
 * {@code vae train}: parses the options into the library's records ({@link TrainOptions}), runs a {@link
 * TrainingRun} with Ctrl-C and SIGTERM as its cancel, and prints its progress ({@link TrainProgress}).
 */
final class TrainCommand extends Command {
  /** Exit code of a run stopped by a signal (after its checkpoint), as shells report Ctrl-C. */
  static final int INTERRUPTED = 130;

  TrainCommand() {
    super("train", "train a VAE (built-in MNIST by default), export it as a SavedModel, write sample pictures",
        "[options]");
  }

  @Override
  Options options() {
    return TrainOptions.options();
  }

  @Override
  int run(CommandLine line, Io io) throws IOException {
    if (line.hasOption("resume")) {
      return resume(line, io);
    }
    Path out = line.hasOption("out") ? Path.of(line.getOptionValue("out"))
        : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    try {
      RunFolder.at(out).checkFresh();
    } catch (VaeException e) {
      throw new UsageException(Flags.show(e));
    }
    return train(line, Args.parseDevice(line), io, out, false);
  }

  /** {@code --resume RUN}: the run's own options, its newest checkpoint, and on from there. */
  private int resume(CommandLine line, Io io) throws IOException {
    for (org.apache.commons.cli.Option o : line.getOptions()) {
      if (!TrainOptions.RESUME_OPTIONS.contains(o.getLongOpt())) {
        throw new UsageException("--resume continues a run with the options it was started with; --"
            + o.getLongOpt() + " cannot be changed (only --device can)");
      }
    }
    RunFolder run = RunFolder.at(Path.of(line.getOptionValue("resume")));
    Object recorded = run.readSpec().get("arguments");
    if (!(recorded instanceof List<?> args)) {
      throw new VaeException(run.specFile() + " does not record the run's options; it cannot be resumed");
    }
    CommandLine original;
    try {
      original = DefaultParser.builder().setAllowPartialMatching(false).build()
          .parse(options(), args.stream().map(String::valueOf).map(a -> Main.RENAMED.getOrDefault(a, a))
              .toArray(String[]::new)); // a run recorded with an option's earlier name resumes under the new one
    } catch (org.apache.commons.cli.ParseException e) {
      throw new VaeException(run.specFile() + " records options this vae4j does not know: " + e.getMessage());
    }
    Device device = line.hasOption("device") ? Args.parseDevice(line) : Args.parseDevice(original);
    return train(original, device, io, run.dir(), true);
  }

  private int train(CommandLine line, Device device, Io io, Path out, boolean resume) throws IOException {
    TrainConfig config = TrainOptions.trainConfig(line);
    RunOptions options = TrainOptions.runOptions(line, device);
    Dataset data = DataOptions.load(line, io, null);
    VaeSpec spec = TrainOptions.spec(line, data);
    if (resume && spec.convStack() != null) {
      // the stack the run was built with: a run recorded before stacks were a setting had the seed's
      spec = spec.withConvStack(VaeSpec.fromMap(RunFolder.at(out).readSpec(), RunFolder.at(out).specFile()
          .toString()).convStack());
    }
    TrainProgress progress = new TrainProgress(io, config, options.patience());
    TrainingRun.Cancel cancel = new TrainingRun.Cancel();
    TrainingRun.Builder run = TrainingRun.builder().spec(spec).config(config).options(options).data(data)
        .folder(out).listener(progress).cancel(cancel).arguments(TrainOptions.recordedArguments(line))
        .initFrom(line.hasOption("init-from") ? Path.of(line.getOptionValue("init-from")) : null);
    try {
      run.check();
    } catch (VaeException e) {
      throw new UsageException(Flags.show(e));
    }
    RunResult result;
    try (StopSignals signals = StopSignals.install(io.err(), cancel::cancel)) {
      result = resume ? run.resume() : run.train();
    } finally {
      progress.clear();
    }
    if (result.ending() == RunResult.Ending.CANCELLED) {
      io.out().println("resume with: vae train --resume " + out);
      return INTERRUPTED;
    }
    return Main.OK;
  }
}
