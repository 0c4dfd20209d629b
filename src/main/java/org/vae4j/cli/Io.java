package org.vae4j.cli;

import java.io.PrintStream;

/**
 * Where a command writes: results and epoch lines to {@code out}, progress and errors to {@code err}.
 *
 * @param terminal whether {@code err} is a terminal (progress bars redraw in place only there)
 * @param verbose whether failures show their stack trace
 */
record Io(PrintStream out, PrintStream err, boolean terminal, boolean verbose) {}
