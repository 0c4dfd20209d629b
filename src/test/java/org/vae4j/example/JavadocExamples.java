package org.vae4j.example;

import java.net.URI;
import java.nio.file.Path;
import org.vae4j.data.InMemoryImages;
import org.vae4j.http.ModelServer;
import org.vae4j.run.RunResult;
import org.vae4j.run.TrainingRun;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** The code examples of the API's Javadoc, compiled; JavadocExamplesTest checks each comment shows them as here. */
final class JavadocExamples {
  private JavadocExamples() {}

  static RunResult trainingRun(float[][] trainImages, int[] trainLabels, float[][] testImages, int[] testLabels)
      throws Exception {
    RunResult r = TrainingRun.builder()
        .spec(VaeSpec.conv(new ImageShape(28, 28, 1), 16))
        .config(TrainConfig.defaults().withEpochs(5))
        .data(InMemoryImages.of("mine", new int[] {28, 28, 1}, trainImages, trainLabels, testImages, testLabels))
        .folder(Path.of("runs/mine"))
        .train();
    return r;
  }

  static void modelServer() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServer.Options.defaults()
        .withModel("mnist-z32", Path.of("savedmodels/mnist-z32")).withPort(0))) {
      URI api = server.uri().resolve("v1/models/mnist-z32:predict");
      // POST {"instances": [...]} to api, as to TF Serving (docs/SERVING.md)
    }
  }
}
