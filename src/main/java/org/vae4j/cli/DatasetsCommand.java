package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.data.NamedDatasets;

/** {@code vae datasets}: the data sets vae4j knows by name, and where each one would come from now. */
final class DatasetsCommand extends Command {
  DatasetsCommand() {
    super("datasets", "list the data sets known by name (--dataset NAME) and where each is found", "");
  }

  @Override
  Options options() {
    return new Options();
  }

  @Override
  int run(CommandLine line, Io io) {
    Path home = NamedDatasets.Options.defaultHome();
    io.out().println("cache: " + home.resolve("datasets") + " (set VAE4J_HOME to move it)");
    io.out().println();
    for (NamedDatasets.Entry e : NamedDatasets.catalog()) {
      io.out().printf("%-15s %s%n", e.name(), e.title());
      io.out().printf("%-15s license: %s%n", "", e.license());
      io.out().printf("%-15s %s%n", "", where(e, home));
    }
    return Main.OK;
  }

  private static String where(NamedDatasets.Entry e, Path home) {
    if (e.name().equals("mnist")) {
      return "built into vae4j";
    }
    Path cache = home.resolve("datasets").resolve(e.name());
    if (e.files().stream().allMatch(f -> Files.isRegularFile(cache.resolve(f.name())))) {
      return "in the cache: " + cache;
    }
    for (Path p : e.systemLocations()) {
      if (Files.isDirectory(p)) {
        return "on this system: " + p;
      }
    }
    return String.format("downloaded on first use from %s (%,d bytes, SHA-256 checked)",
        e.files().get(0).url().getHost(), e.downloadSize());
  }
}
