package org.vae4j.cli;

import org.vae4j.VaeException;

/** A mistake in how a command was called (exit code 2, with a pointer to --help). */
final class UsageException extends VaeException {
  UsageException(String message) {
    super(message);
  }
}
