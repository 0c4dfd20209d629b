package org.vae4j.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One verb of {@code vae}: its name, its one-line summary, its options and what it does with them. */
abstract class Command {
  private final String name;
  private final String summary;
  private final String usage;

  /**
   * @param usage what follows the command name in the help, for example {@code --model DIR --png FILE [options]}
   */
  Command(String name, String summary, String usage) {
    this.name = name;
    this.summary = summary;
    this.usage = usage;
  }

  final String name() {
    return name;
  }

  final String summary() {
    return summary;
  }

  final String usage() {
    return usage;
  }

  abstract Options options();

  /** Runs with parsed options; returns the exit code. */
  abstract int run(CommandLine line, Io io) throws Exception;
}
