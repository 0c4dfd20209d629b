package org.vae4j.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code example in the main sources' Javadoc ({@code <pre>{@code ...}</pre>}) is code that compiles: the same
 * lines stand in {@link JavadocExamples}, which the build compiles.
 */
class JavadocExamplesTest {
  private static final Pattern EXAMPLE = Pattern.compile("<pre>\\{@code\\n(.*?)\\n \\* }</pre>", Pattern.DOTALL);

  @Test
  void eachJavadocExampleIsCompiledCode() throws Exception {
    List<String> compiled = trimmed(Files.readString(Path.of(
        "src/test/java/org/vae4j/example/JavadocExamples.java")).lines().toList());
    int examples = 0;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = EXAMPLE.matcher(Files.readString(f));
        while (m.find()) {
          List<String> lines = new ArrayList<>();
          for (String line : m.group(1).split("\n")) {
            lines.add(line.replaceFirst("^\\s*\\* ?", ""));
          }
          List<String> example = trimmed(lines);
          assertTrue(Collections.indexOfSubList(compiled, example) >= 0,
              f + "'s example is not in JavadocExamples:\n" + String.join("\n", example));
          examples++;
        }
      }
    }
    assertEquals(2, examples, "TrainingRun's and ModelServer's");
  }

  private static List<String> trimmed(List<String> lines) {
    return lines.stream().map(String::strip).toList();
  }
}
