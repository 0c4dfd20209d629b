package org.vae4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vae4j.model.ObjectiveTest.c;
import static org.vae4j.model.ObjectiveTest.eval;

import org.junit.jupiter.api.Test;

/** Every likelihood's per-image reconstruction term against its closed form, computed here in double. */
class PixelLikelihoodTest {
  /** 1 x 2 x 1 images: two pixels each. */
  private static VaeSpec spec(Likelihood l, float sigma) {
    return VaeSpec.mlp(new ImageShape(1, 2, 1), 1, 4).withLikelihood(l, sigma);
  }

  private static double sigmoid(double l) {
    return 1 / (1 + Math.exp(-l));
  }

  private static double logSigmoid(double l) {
    return l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l));
  }

  private static final float[] LOGITS = {0f, 2f, -3f, 50f};
  private static final float[] X = {0.2f, 1f, 0f, 1f};

  @Test
  void bernoulliIsTheStableCrossEntropy() {
    float[] got = eval(tf -> PixelLikelihood.reconstruction(tf, spec(Likelihood.BERNOULLI, 1), c(tf, LOGITS, 2, 1, 2, 1),
        c(tf, X, 2, 1, 2, 1)));
    for (int n = 0; n < 2; n++) {
      double want = 0;
      for (int i = 2 * n; i < 2 * n + 2; i++) {
        want += X[i] * logSigmoid(LOGITS[i]) + (1 - X[i]) * logSigmoid(-LOGITS[i]);
      }
      assertEquals(want, got[n], 1e-4);
    }
    // sigmoid(100) rounds to 1 in float32: log(1 - sigmoid) would be -inf, the stable form gives -100
    float[] saturated = eval(tf -> PixelLikelihood.reconstruction(tf, spec(Likelihood.BERNOULLI, 1),
        c(tf, new float[] {100f, -100f}, 1, 1, 2, 1), c(tf, new float[] {0f, 1f}, 1, 1, 2, 1)));
    assertEquals(-200f, saturated[0], 1e-3);
  }

  @Test
  void gaussianKeepsItsNormalizingConstant() {
    float sigma = 0.2f;
    float[] got = eval(tf -> PixelLikelihood.reconstruction(tf, spec(Likelihood.GAUSSIAN, sigma),
        c(tf, LOGITS, 2, 1, 2, 1), c(tf, X, 2, 1, 2, 1)));
    for (int n = 0; n < 2; n++) {
      double want = 0;
      for (int i = 2 * n; i < 2 * n + 2; i++) {
        double err = X[i] - sigmoid(LOGITS[i]);
        want += -0.5 * Math.log(2 * Math.PI * sigma * sigma) - err * err / (2 * sigma * sigma);
      }
      assertEquals(want, got[n], 1e-4);
    }
  }

  @Test
  void learnedGaussianUsesItsOwnLogVarianceWithAFloor() {
    // raw output [N, H, W, 2C]: channel 0 the mean logit, channel 1 the raw log-variance
    float[] raw = {0f, 0f, 2f, -50f};
    float[] x = {0.3f, 0.9f};
    float[] got = eval(tf -> PixelLikelihood.reconstruction(tf, spec(Likelihood.GAUSSIAN_LEARNED, 1),
        c(tf, raw, 1, 1, 2, 2), c(tf, x, 1, 1, 2, 1)));
    double floor = Math.log(1e-4);
    double want = 0;
    for (int i = 0; i < 2; i++) {
      double mu = sigmoid(raw[2 * i]);
      double logVar = floor + Math.log1p(Math.exp(raw[2 * i + 1] - floor));
      want += -0.5 * (Math.log(2 * Math.PI) + logVar) - 0.5 * (x[i] - mu) * (x[i] - mu) / Math.exp(logVar);
    }
    assertEquals(want, got[0], 1e-3);
    float[] means = eval(tf -> PixelLikelihood.mean(tf, spec(Likelihood.GAUSSIAN_LEARNED, 1), c(tf, raw, 1, 1, 2, 2)));
    assertEquals(2, means.length);
    assertEquals(sigmoid(2), means[1], 1e-6);
  }

  @Test
  void mseIsMinusTheSquaredError() {
    float[] got = eval(tf -> PixelLikelihood.reconstruction(tf, spec(Likelihood.MSE, 1), c(tf, LOGITS, 2, 1, 2, 1),
        c(tf, X, 2, 1, 2, 1)));
    for (int n = 0; n < 2; n++) {
      double want = 0;
      for (int i = 2 * n; i < 2 * n + 2; i++) {
        double err = X[i] - sigmoid(LOGITS[i]);
        want -= err * err;
      }
      assertEquals(want, got[n], 1e-5);
    }
  }

  @Test
  void severalSamplesAverageEachImagesOwnDecodings() {
    // two images, two decodings each: rows 0,1 belong to image 0 and rows 2,3 to image 1
    float[] raw = {1f, -1f, 2f, 0f, -2f, 3f, 0.5f, 0.5f};
    float[] x = {1f, 0f, 0.25f, 0.75f};
    float[] got = eval(tf -> PixelLikelihood.reconstruction(tf, spec(Likelihood.BERNOULLI, 1), c(tf, raw, 4, 1, 2, 1),
        c(tf, x, 2, 1, 2, 1)));
    for (int n = 0; n < 2; n++) {
      double want = 0;
      for (int s = 0; s < 2; s++) {
        for (int p = 0; p < 2; p++) {
          double l = raw[(2 * n + s) * 2 + p];
          double xi = x[2 * n + p];
          want += (xi * logSigmoid(l) + (1 - xi) * logSigmoid(-l)) / 2;
        }
      }
      assertEquals(want, got[n], 1e-4);
    }
  }
}
