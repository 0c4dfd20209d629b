package org.vae4j.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar with rate and ETA, redrawn in place at most every 100 ms on a terminal. Elsewhere (a log
 * file) a redrawn bar would be noise, so it writes a plain line once a minute instead, and nothing for shorter
 * tasks.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;
  private final long logEveryNanos;
  private final PrintStream err;
  private final boolean enabled;
  private long lastDraw;
  private int lastLength;

  ProgressBar(PrintStream err, boolean enabled) {
    this(err, enabled, LOG_EVERY_NANOS);
  }

  /** The first count heard: work done before this run. */
  private long first = -1;
  private boolean resumable;

  ProgressBar(PrintStream err, boolean enabled, long logEveryNanos) {
    this.err = err;
    this.enabled = enabled;
    this.logEveryNanos = logEveryNanos;
  }

  /** Shows {@code done} of {@code total} after {@code seconds}, with a label before and a note after the bar. */
  void update(String label, long done, long total, double seconds, String note) {
    long now = System.nanoTime();
    if (first < 0) {
      first = resumable ? done : 0; // resumed work was done before these seconds: the rate counts this run's only
    }
    if (!enabled) {
      if (lastDraw == 0) {
        lastDraw = now;
      } else if (now - lastDraw >= logEveryNanos && done < total) {
        lastDraw = now;
        double eta = eta(done, total, seconds);
        err.printf("%s %d/%d %s, %s elapsed, ETA %s%n", label, done, total, note, clock(seconds), clock(eta));
        err.flush();
      }
      return;
    }
    if (done < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) (WIDTH * done / Math.max(1, total));
    String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
    double eta = eta(done, total, seconds);
    String line = String.format("%s [%s] %d/%d %s ETA %s", label, bar, done, total, note, clock(eta));
    err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    err.flush();
    lastLength = line.length();
  }

  /**
   * Reads the first count heard as work done before this run (an evaluation resumed from its checkpoint), so that
   * the time left follows this run's rate.
   */
  ProgressBar resumable() {
    resumable = true;
    return this;
  }

  private double eta(long done, long total, double seconds) {
    return done <= first ? 0 : seconds * (total - done) / (done - first);
  }

  /** Erases the bar so the next line starts clean. */
  void clear() {
    if (enabled && lastLength > 0) {
      err.print("\r" + " ".repeat(lastLength) + "\r");
      err.flush();
      lastLength = 0;
    }
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
