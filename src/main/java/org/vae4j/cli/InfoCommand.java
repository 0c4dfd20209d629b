package org.vae4j.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.serve.SignatureInfo;
import org.vae4j.serve.Vae;

/** {@code vae info}: a SavedModel's model card and signatures. */
final class InfoCommand extends Command {
  InfoCommand() {
    super("info", "print a SavedModel's model card and signatures",
        "--model DIR");
  }

  @Override
  Options options() {
    return Args.modelOptions();
  }

  @Override
  int run(CommandLine line, Io io) {
    try (Vae vae = Args.loadModel(line)) {
      io.out().println("model: " + vae.path());
      io.out().println();
      io.out().println("model card (" + org.vae4j.contract.Contract.MODEL_CARD + "):");
      io.out().print(vae.card().toJson());
      io.out().println();
      io.out().println("signatures:");
      for (SignatureInfo s : vae.signatures()) {
        io.out().println("  " + s.key() + "  (" + s.methodName() + ")");
        s.inputs().forEach((name, type) -> io.out().println("    in   " + name + ": " + type));
        s.outputs().forEach((name, type) -> io.out().println("    out  " + name + ": " + type));
      }
    }
    return Main.OK;
  }
}
