package org.vae4j.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during training: the first one asks the run to finish its step, write a checkpoint
 * and stop; a second one ends the process at once. A JVM shutdown hook could not do this: by the time it runs,
 * the process is already exiting.
 */
final class StopSignals implements AutoCloseable {
  private final AtomicBoolean requested = new AtomicBoolean();
  private final SignalHandler oldInt;
  private final SignalHandler oldTerm;

  private StopSignals(PrintStream err, Runnable onFirst) {
    SignalHandler handler = signal -> {
      if (requested.compareAndSet(false, true)) {
        onFirst.run();
        err.println();
        err.println("vae: " + signal.getName() + " received: finishing the step and writing a checkpoint (send it"
            + " again to stop at once)");
      } else {
        Runtime.getRuntime().halt(128 + signal.getNumber());
      }
    };
    oldInt = install("INT", handler);
    oldTerm = install("TERM", handler);
  }

  private static SignalHandler install(String name, SignalHandler handler) {
    try {
      return Signal.handle(new Signal(name), handler);
    } catch (IllegalArgumentException e) {
      return null; // the platform has no such signal, or the JVM reserves it
    }
  }

  /** Installs the handlers; the first signal runs {@code onFirst} (which asks the run to stop). */
  static StopSignals install(PrintStream err, Runnable onFirst) {
    return new StopSignals(err, onFirst);
  }

  boolean requested() {
    return requested.get();
  }

  @Override
  public void close() {
    if (oldInt != null) {
      Signal.handle(new Signal("INT"), oldInt);
    }
    if (oldTerm != null) {
      Signal.handle(new Signal("TERM"), oldTerm);
    }
  }
}
