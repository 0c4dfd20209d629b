package org.vae4j;

/** Versions that travel with the files vae4j writes. */
public final class Version {
  /** The vae4j release, written into every model card. */
  public static final String VAE4J = "0.1.0";

  /**
   * The version of the SavedModel contract (signatures, tensor names, model card fields). A loader refuses a model
   * whose format is newer than the one it knows.
   */
  public static final int MODEL_FORMAT = 1;

  private Version() {}
}
