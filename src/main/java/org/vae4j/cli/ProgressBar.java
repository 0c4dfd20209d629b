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

  ProgressBar(PrintStream err, boolean enabled, long logEveryNanos) {
    this.err = err;
    this.enabled = enabled;
    this.logEveryNanos = logEveryNanos;
  }

  /** Shows {@code done} of {@code total} after {@code seconds}, with a label before and a note after the bar. */
  void update(String label, long done, long total, double seconds, String note) {
    long now = System.nanoTime();
    if (!enabled) {
      if (lastDraw == 0) {
        lastDraw = now;
      } else if (now - lastDraw >= logEveryNanos && done < total) {
        lastDraw = now;
        double eta = done == 0 ? 0 : seconds * (total - done) / done;
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
    double eta = done == 0 ? 0 : seconds * (total - done) / done;
    String line = String.format("%s [%s] %d/%d %s ETA %s", label, bar, done, total, note, clock(eta));
    err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    err.flush();
    lastLength = line.length();
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
