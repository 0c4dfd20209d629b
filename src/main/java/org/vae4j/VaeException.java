package org.vae4j;

/**
 * A problem the user can fix: a bad option, a missing or malformed file, a model that does not fit the data.
 *
 * <p>The message is one sentence that names the thing at fault and what was expected. The command line prints it
 * as a single line and exits non-zero; embedding code can catch it like any other runtime exception.
 */
public class VaeException extends RuntimeException {
  public VaeException(String message) {
    super(message);
  }

  public VaeException(String message, Throwable cause) {
    super(message, cause);
  }
}
