package org.vae4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.vae4j.run.RunOptions;
import org.vae4j.run.TrainingRun;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.ObjectiveConfig;
import org.vae4j.spec.TrainConfig;
import org.vae4j.spec.VaeSpec;

/** The library names settings by their fields; only the command line knows flags. */
class LibraryMessagesTest {
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern FLAG = Pattern.compile("--[a-z]");

  @Test
  void noStringOutsideTheCommandLineNamesAFlag() throws IOException {
    List<String> found = new ArrayList<>();
    Path root = Path.of("src/main/java/org/vae4j");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (root.relativize(f).startsWith("cli")) {
          continue;
        }
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = STRING.matcher(lines.get(i));
          while (m.find()) {
            if (FLAG.matcher(m.group()).find()) {
              found.add(root.relativize(f) + ":" + (i + 1) + " " + m.group());
            }
          }
        }
      }
    }
    assertEquals(List.of(), found, "library strings that name command-line flags");
  }

  @Test
  void settingErrorsNameTheirFields() {
    ImageShape mnist = new ImageShape(28, 28, 1);
    assertNames(() -> VaeSpec.conv(mnist, 0), "latentDim must be between 1 and", "latentDim");
    assertNames(() -> TrainConfig.defaults().withEpochs(0), "epochs must be between", "epochs");
    assertNames(() -> RunOptions.defaults().withEarlyStopping(0, 3), "patience needs validation", "patience",
        "validation");
    assertNames(() -> RunOptions.defaults().withModelVersion(0), "modelVersion must be", "modelVersion");
    VaeSpec gaussian = new VaeSpec(mnist, 2, org.vae4j.spec.Architecture.MLP, new int[] {8},
        org.vae4j.spec.StddevParameterization.EXP, Likelihood.GAUSSIAN, 0.1f);
    assertNames(() -> TrainingRun.builder().spec(gaussian).config(TrainConfig.defaults()
        .withObjective(ObjectiveConfig.elbo().withKlBalance(0.001))).check(), "klBalance applies only with",
        "klBalance", "likelihood");
    assertNames(() -> Likelihood.parse("poisson"), "likelihood must be", "likelihood");
  }

  private static void assertNames(Executable call, String message, String... fields) {
    VaeException e = assertThrows(VaeException.class, call);
    assertTrue(e.getMessage().startsWith(message) || e.getMessage().contains(message), e.getMessage());
    assertFalse(e.getMessage().contains("--"), e.getMessage());
    assertEquals(List.of(fields), e.fields());
  }
}
