package org.vae4j.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One verb of {@code vae}: its options and what it does with them. */
interface Command {
  String name();

  /** One line for the list of commands. */
  String summary();

  /** Usage after the command name, for example {@code --model DIR --png FILE [options]}. */
  String usage();

  Options options();

  /** Runs with parsed options; returns the exit code. */
  int run(CommandLine line, Io io) throws Exception;
}
