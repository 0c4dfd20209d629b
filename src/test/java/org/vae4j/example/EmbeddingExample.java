package org.vae4j.example;

import java.nio.file.Path;
import org.vae4j.data.Dataset;
import org.vae4j.data.InMemoryImages;
import org.vae4j.run.RunResult;
import org.vae4j.run.TrainingRun;
import org.vae4j.serve.Vae;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** Trains a VAE on images held in memory, exports it, loads the export and encodes the test images. */
public final class EmbeddingExample {
  public static float[][] trainAndEncode(float[][] train, float[][] test, Path folder) throws Exception {
    // 28 x 28 gray images, pixels in [0, 1], row-major; labels are optional (null here)
    Dataset data = InMemoryImages.of("my-images", new int[] {28, 28, 1}, train, null, test, null);
    RunResult run = TrainingRun.builder()
        .spec(VaeSpec.conv(new ImageShape(28, 28, 1), 8))   // conv encoder/decoder, 8 latent dimensions
        .config(TrainConfig.defaults().withEpochs(2).withBatchSize(32))
        .data(data)
        .folder(folder)                                     // checkpoints, metrics, savedmodel/1/, pictures
        .train();
    System.out.printf("test ELBO %.2f nats; SavedModel in %s%n", run.testElbo(), run.savedModel());
    try (Vae vae = Vae.load(run.savedModel())) {            // what TF Serving would serve
      return vae.encode(test).mean();                       // one row of 8 latent means per test image
    }
  }
}
