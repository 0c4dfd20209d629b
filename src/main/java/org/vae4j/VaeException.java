package org.vae4j;

import java.util.List;

/**
 * A problem the user can fix: a bad setting, a missing or malformed file, a model that does not fit the data.
 *
 * <p>The message is one sentence that names the thing at fault and what was expected. The command line prints it
 * as a single line and exits non-zero; embedding code can catch it like any other runtime exception.
 *
 * <p>A message about settings names them as the library's records do ({@code latentDim}, {@code klBalance}) and
 * lists them in {@link #fields()}, so a front end can show its own names for them (the command line prints
 * {@code --latent-dim}); library messages never name command-line flags.
 */
public class VaeException extends RuntimeException {
  /** The settings the message names by their field names. */
  private final List<String> fields;

  /** A problem described by {@code message}, naming no settings. */
  public VaeException(String message) {
    this(message, (Throwable) null);
  }

  /** A problem described by {@code message}, caused by {@code cause} (may be null), naming no settings. */
  public VaeException(String message, Throwable cause) {
    super(message, cause);
    this.fields = List.of();
  }

  private VaeException(String message, List<String> fields) {
    super(message);
    this.fields = List.copyOf(fields);
  }

  /**
   * A problem with settings, named in {@code message} by their field names.
   *
   * @param fields the settings named, for example {@code "latentDim"}
   */
  public static VaeException setting(String message, String... fields) {
    return new VaeException(message, List.of(fields));
  }

  /** The settings this message names by their field names (empty when it names none). */
  public List<String> fields() {
    return fields;
  }
}
