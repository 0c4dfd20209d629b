package org.vae4j.example;

import java.nio.file.Path;
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Given;
import org.vae4j.contract.Observation;
import org.vae4j.data.Dataset;
import org.vae4j.data.InMemoryImages;
import org.vae4j.run.TrainingRun;
import org.vae4j.serve.Vae;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** A VAE conditioned on each image's label draws digits of the class asked; a partial-input one completes images. */
public final class ConditionalExample {
  static final ImageShape SHAPE = new ImageShape(28, 28, 1);
  static final TrainConfig CONFIG = TrainConfig.defaults().withEpochs(2).withBatchSize(32);

  /** Trains on labelled images and draws {@code perClass} images of each class 0..9: [class][sample][pixel]. */
  public static float[][][] drawEachClass(float[][] train, int[] labels, Path folder, int perClass)
      throws Exception {
    Dataset data = InMemoryImages.of("digits", new int[] {28, 28, 1}, train, labels, train, labels);
    VaeSpec spec = VaeSpec.mlp(SHAPE, 8, 256).withConditioning(Conditioning.label(10));
    Path model = TrainingRun.builder().spec(spec).config(CONFIG).data(data).folder(folder).train().savedModel();
    try (Vae vae = Vae.load(model)) {
      float[][][] out = new float[10][][];
      for (int digit = 0; digit < 10; digit++) {
        int[] asked = new int[perClass];
        java.util.Arrays.fill(asked, digit);
        out[digit] = vae.sample(Given.labels(asked), 7).images();   // codes from the prior, decoded as digit
      }
      return out;
    }
  }

  /**
   * Trains a model that sees a random part of each image (a mask drawn per image) and completes each test image
   * from the pixels {@code masks} marks (true where seen): [image][completion][pixel].
   */
  public static float[][][] complete(float[][] train, float[][] test, boolean[][] masks, Path folder)
      throws Exception {
    Dataset data = InMemoryImages.of("digits", new int[] {28, 28, 1}, train, null, test, null);
    VaeSpec spec = VaeSpec.mlp(SHAPE, 8, 256).withConditioning(Conditioning.partial(Observation.RANDOM_MASK,
        false));
    Path model = TrainingRun.builder().spec(spec).config(CONFIG).data(data).folder(folder).train().savedModel();
    try (Vae vae = Vae.load(model)) {
      double elbo = vae.likelihood().orElseThrow().score(test, Given.masks(masks)).elbo()[0];
      System.out.printf("log p(Y|X) of the first image >= %.1f nats%n", elbo);
      return vae.complete(Given.observed(test, masks), 4, 11);       // 4 completions of each
    }
  }
}
