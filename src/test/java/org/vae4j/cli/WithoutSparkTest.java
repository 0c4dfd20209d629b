package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command line where Spark is not on the class path (an embedder's, or {@code java -jar target/vae4j.jar}):
 * every command loads, and spark-score says what is missing. Runs Main in a class loader of its own over this
 * test's class path minus Spark's, Scala's and Hadoop's jars.
 */
class WithoutSparkTest {
  private static String[] run(String... args) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (!name.startsWith("spark-") && !name.startsWith("scala") && !name.startsWith("hadoop-")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      Class<?> main = loader.loadClass("org.vae4j.cli.Main");
      Constructor<?> make = main.getDeclaredConstructor();
      make.setAccessible(true);
      Method run = main.getDeclaredMethod("run", String[].class, PrintStream.class, PrintStream.class,
          boolean.class);
      run.setAccessible(true);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = (int) run.invoke(make.newInstance(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), false);
      return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8)};
    }
  }

  @Test
  void everyCommandLoadsAndSparkScoreSaysWhatIsMissing() throws Exception {
    String[] help = run("--help");
    assertEquals("0", help[0], help[2]);
    assertTrue(help[1].contains("spark-score"), help[1]);
    assertEquals("0", run("encode", "--help")[0]);
    String[] spark = run("spark-score", "--model", "m", "--output", "o");
    assertEquals("2", spark[0]);
    assertTrue(spark[2].startsWith("vae spark-score: Apache Spark is not on the class path: run spark-score through"
        + " bin/vae"), spark[2]);
  }
}
