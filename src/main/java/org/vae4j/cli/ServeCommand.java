package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.vae4j.http.ModelServer;
import org.vae4j.serve.VaeOptions;

/** {@code vae serve}: TF Serving's REST API and a page to explore the models, until Ctrl-C. */
final class ServeCommand extends Command {
  ServeCommand() {
    super("serve", "answer TF Serving's REST API for models (and show a page to explore them) until Ctrl-C",
        "--model [NAME=]DIR [--model ...] [options]");
  }

  @Override
  Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("model").hasArg().argName("[NAME=]DIR").desc("a model to serve: a base"
            + " folder of integer-named versions (as TF Serving's), one version folder, or a run folder; the name"
            + " in URLs is NAME, else the folder's name (repeat for several models)").build())
        .addOption(Args.trust())
        .addOption(Args.value("host", "ADDRESS", "address to listen on (default 127.0.0.1: this machine only; "
            + "0.0.0.0 opens the server to the network)"))
        .addOption(Args.value("port", "N", "port (default 8501, TF Serving's REST port; 0 picks a free one)"))
        .addOption(Args.value("poll-seconds", "X", "how often model folders are checked for new versions"
            + " (default 2; 0 never)"))
        .addOption(Args.value("threads", "N", "request threads (default 2 x cores, at least 4)"))
        .addOption(Args.value("max-body-mb", "N", "largest request body in MiB (default 16)"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    String[] models = line.getOptionValues("model");
    if (models == null) {
      throw new UsageException("give at least one --model [NAME=]DIR");
    }
    ModelServer.Options options = ModelServer.Options.defaults().withLog(io.err());
    for (String m : models) {
      int eq = m.indexOf('=');
      Path folder = Path.of(eq < 0 ? m : m.substring(eq + 1)).toAbsolutePath().normalize();
      String name = eq < 0 ? nameOf(folder) : m.substring(0, eq);
      if (!Files.isDirectory(folder)) {
        throw new UsageException("--model " + m + ": " + folder + " is not a folder");
      }
      if (options.folders().containsKey(name)) {
        throw new UsageException("--model " + m + ": the name '" + name + "' is taken; give NAME=DIR");
      }
      try {
        options = options.withModel(name, folder);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--model " + m + ": " + e.getMessage());
      }
    }
    options = options.withHost(line.getOptionValue("host", "127.0.0.1"))
        .withPort(Args.integer(line, "port", 8501, 0, 65535))
        .withPoll(Duration.ofMillis((long) (Args.nonNegative(line, "poll-seconds", 2f) * 1000)))
        .withThreads(Args.integer(line, "threads", options.threads(), 1, 1024))
        .withLimits((long) Args.integer(line, "max-body-mb", 16, 1, 2047) << 20, options.bodyTimeout())
        .withLoadOptions(line.hasOption("trust") ? VaeOptions.defaults().trusting() : VaeOptions.defaults());
    CountDownLatch stop = new CountDownLatch(1);
    try (ModelServer server = ModelServer.start(options);
        StopSignals signals = StopSignals.install(io.err(), stop::countDown)) {
      String host = options.host();
      if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
        io.err().println("vae serve: listening on " + host + ", not only this machine: anyone who can reach it"
            + " can use the models");
      }
      io.out().println("serving " + String.join(", ", options.folders().keySet()) + " at " + server.uri()
          + " (REST: " + server.uri() + "v1/models/NAME; page: " + server.uri() + "); Ctrl-C stops");
      io.out().flush();
      stop.await();
    }
    io.out().println("stopped");
    return Main.OK;
  }

  /** A base folder's own name; for a version folder (an integer name) or a run's savedmodel, the folder above. */
  private static String nameOf(Path folder) {
    Path p = folder;
    while (p.getParent() != null && (p.getFileName().toString().matches("\\d+")
        || p.getFileName().toString().equals("savedmodel"))) {
      p = p.getParent();
    }
    String name = p.getFileName() == null ? "model" : p.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-");
    return name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0)) ? "model" + name : name;
  }
}
