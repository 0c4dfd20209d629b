package org.vae4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API's Javadoc builds with no warning and no error under every doclint group: every public type,
 * method, constructor, field and enum constant has a comment, every link resolves, every tag and HTML element is
 * well formed. One kind of warning is allowed: a method without one {@code @param} or {@code @return} line per
 * parameter, since the project describes parameters in the comment's prose.
 */
class JavadocTest {
  private static final Path SOURCES = Path.of("src/main/java");

  @Test
  void theApisJavadocHasNoWarnings(@TempDir Path out) throws Exception {
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    assertNotNull(javadoc, "the JDK's javadoc tool");
    List<String> args = new ArrayList<>(List.of("-quiet", "-Xdoclint:all", "-Xmaxwarns", "10000",
        "-d", out.toString(), "-sourcepath", SOURCES.toString(), "-classpath",
        System.getProperty("java.class.path")));
    args.addAll(apiFiles());
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    int rc = javadoc.run(null, log, log, args.toArray(String[]::new));
    String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
    String report = text.lines().filter(l -> l.contains("warning:") || l.contains("error:"))
        .filter(l -> !l.matches(".*warning: no @(param|return|throws)\\b.*"))
        .reduce("", (x, y) -> x + y + "\n");
    assertEquals("", report, "javadoc's warnings and errors");
    assertEquals(0, rc, text.lines().filter(l -> l.contains("error")).reduce("", (x, y) -> x + y + "\n"));
  }

  /** The source files of the API: every file of its packages. */
  static List<String> apiFiles() throws Exception {
    List<String> files = new ArrayList<>();
    for (String p : PublicApiTest.API_PACKAGES) {
      try (Stream<Path> s = Files.list(SOURCES.resolve(p.replace('.', '/')))) {
        s.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(files::add);
      }
    }
    return files;
  }
}
