package org.vae4j.cli;

import java.io.PrintStream;

/** Lets tests of other packages run a command line as {@code bin/vae} would, without a terminal. */
public final class MainAccess {
  private MainAccess() {}

  /** Runs one command line; returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new Main().run(args, out, err, false);
  }
}
