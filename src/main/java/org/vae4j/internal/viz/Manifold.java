package org.vae4j.internal.viz;

/**
 * Latent codes laid on a grid, for pictures of what a decoder does across its latent space. Coordinates are
 * Normal quantiles, so every cell covers the same prior probability and the grid never wanders into regions
 * the prior never visits.
 */
public final class Manifold {
  private Manifold() {}

  /**
   * An n x n grid of codes of {@code latentDim} dimensions, row by row from the top: dimension {@code dimX} grows
   * to the right, {@code dimY} upwards; every other dimension is 0 (the prior's mean). A 1-dimensional latent
   * gives a strip of n codes instead.
   */
  public static float[][] codes(int latentDim, int n, int dimX, int dimY) {
    if (n < 1) {
      throw new IllegalArgumentException("the grid needs at least one cell per side, got " + n);
    }
    double[] axis = NormalQuantile.grid(n);
    if (latentDim == 1) {
      float[][] strip = new float[n][1];
      for (int k = 0; k < n; k++) {
        strip[k][0] = (float) axis[k];
      }
      return strip;
    }
    if (dimX < 0 || dimY < 0 || dimX >= latentDim || dimY >= latentDim || dimX == dimY) {
      throw org.vae4j.VaeException.setting("dims must name two different latent dimensions between 0 and "
          + (latentDim - 1) + ", got " + dimX + "," + dimY, "dims");
    }
    float[][] codes = new float[n * n][latentDim];
    for (int row = 0; row < n; row++) {
      for (int col = 0; col < n; col++) {
        codes[row * n + col][dimX] = (float) axis[col];
        codes[row * n + col][dimY] = (float) axis[n - 1 - row];
      }
    }
    return codes;
  }
}
