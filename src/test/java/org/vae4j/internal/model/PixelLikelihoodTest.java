package org.vae4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vae4j.internal.model.ObjectiveTest.c;
import static org.vae4j.internal.model.ObjectiveTest.eval;

import org.junit.jupiter.api.Test;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.VaeSpec;

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

  /** log P(v / 255) of every 8-bit value v under one logistic, as the graph computes it. */
  private static float[] logMasses(float mean, float logScale) {
    float[] x = new float[256];
    float[] m = new float[256];
    float[] s = new float[256];
    for (int v = 0; v < 256; v++) {
      x[v] = v / 255f;
      m[v] = mean;
      s[v] = logScale;
    }
    return eval(tf -> PixelLikelihood.discretizedLogistic(tf, c(tf, x, 256), c(tf, m, 256), c(tf, s, 256)));
  }

  @Test
  void theDiscretizedLogisticsBinsHoldAllTheMassAndMatchTheClosedForm() {
    // wide, narrow, at an edge, and at the floor's scale (a quarter of a bin), where bins are too thin to subtract
    float[][] cases = {{0.5f, (float) Math.log(0.2)}, {0.3f, (float) Math.log(0.01)}, {0.998f, (float) Math.log(0.05)},
        {100 / 255f, PixelLikelihood.LOG_SCALE_FLOOR}};
    for (float[] c : cases) {
      float[] logP = logMasses(c[0], c[1]);
      double total = 0;
      double scale = Math.exp(c[1]);
      for (int v = 0; v < 256; v++) {
        total += Math.exp(logP[v]);
        double hi = v == 255 ? 1 : sigmoid((v / 255.0 + 0.5 / 255 - c[0]) / scale);
        double lo = v == 0 ? 0 : sigmoid((v / 255.0 - 0.5 / 255 - c[0]) / scale);
        if (hi - lo > 1e-4) {
          // float32 sigmoids of arguments up to a few hundred: a relative tolerance on the mass
          assertEquals(Math.log(hi - lo), logP[v], 2e-3, "v = " + v + " of " + java.util.Arrays.toString(c));
        }
      }
      assertEquals(1.0, total, 1e-3, "the 256 masses of " + java.util.Arrays.toString(c));
    }
  }

  @Test
  void theLogisticLikelihoodReadsAMeanAndALogScalePerPixel() {
    // raw [1, 1, 2, 2]: each pixel's mean logit, then its raw log-scale (channels last: k blocks of C channels)
    float[] raw = {0f, -2f, 1f, 0.5f};
    float[] x = {0.5f, 200 / 255f};
    float[] got = eval(tf -> PixelLikelihood.reconstruction(tf, spec(Likelihood.LOGISTIC, 1), c(tf, raw, 1, 1, 2, 2),
        c(tf, x, 1, 1, 2, 1)));
    double want = 0;
    for (int i = 0; i < 2; i++) {
      double floor = PixelLikelihood.LOG_SCALE_FLOOR;
      double logScale = floor + Math.log1p(Math.exp(raw[2 * i + 1] - floor));
      double mean = sigmoid(raw[2 * i]);
      double h = 0.5 / 255;
      want += Math.log(sigmoid((x[i] + h - mean) / Math.exp(logScale)) - sigmoid((x[i] - h - mean)
          / Math.exp(logScale)));
    }
    assertEquals(want, got[0], 2e-3);
    assertTrue(Likelihood.LOGISTIC.isDiscrete() && !Likelihood.BERNOULLI.isDiscrete());
  }
}
