package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.vae4j.VaeException;

/**
 * Coverage-guided fuzzing (Jazzer) of every data reader that takes bytes from outside: idx files, tar archives,
 * MATLAB files, image folders and single pictures. Each must return contents consistent with what they claim, or throw a {@link
 * VaeException} that names the input; any other exception, an error, a hang or running out of memory is a finding.
 *
 * <p>{@code mvn test} replays the kept inputs (src/test/resources/org/vae4j/data/DataReadersFuzzTestInputs/) in
 * seconds. To fuzz one target for real: {@code JAZZER_FUZZ=1 mvn test -Dtest='DataReadersFuzzTest#idx'} (each
 * runs for at most {@code maxDuration}; a finding is written into the inputs folder and becomes a regression case).
 */
class DataReadersFuzzTest {
  private static final String SOURCE = "fuzz-input";

  @FuzzTest(maxDuration = "10m")
  void idx(byte[] input) {
    try {
      IdxFile.Contents c = IdxFile.read(new ByteArrayInputStream(input), SOURCE, null);
      long size = 1;
      for (int d : c.dims()) {
        size *= d;
      }
      assertEquals(size, c.data().length, "contents match their dimensions");
    } catch (VaeException e) {
      assertNamesTheInput(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void tar(byte[] input) {
    try {
      Map<String, byte[]> files = TarReader.read(new ByteArrayInputStream(input), n -> true, SOURCE);
      long total = files.values().stream().mapToLong(b -> b.length).sum();
      assertTrue(total <= input.length, "a tar never yields more bytes than it holds");
    } catch (VaeException e) {
      assertNamesTheInput(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void mat(byte[] input) {
    try {
      Map<String, MatFile.Array> arrays = MatFile.read(new ByteArrayInputStream(input), SOURCE);
      for (MatFile.Array a : arrays.values()) {
        long size = 1;
        for (int d : a.dims()) {
          size *= d;
        }
        assertEquals(size, a.size(), "an array holds as many elements as its dimensions say");
      }
    } catch (VaeException e) {
      assertNamesTheInput(e);
    }
  }

  /** One image file of fuzzed bytes beside a valid one, in a labelled folder. */
  @FuzzTest(maxDuration = "10m")
  void imageFolder(FuzzedDataProvider data) throws IOException {
    String suffix = data.pickValue(new String[] {".png", ".jpg", ".bmp", ".gif"});
    byte[] bytes = data.consumeRemainingAsBytes();
    Path dir = Files.createTempDirectory("vae4j-fuzz-images");
    try {
      Files.createDirectories(dir.resolve("a"));
      Files.write(dir.resolve("a").resolve("fuzzed" + suffix), bytes);
      Files.write(dir.resolve("a").resolve("valid.png"), VALID_PNG);
      ImageFolders.Result r = ImageFolders.load(dir, ImageFolders.Options.defaults(), line -> { });
      ImageSet train = r.dataset().train();
      ImageSet test = r.dataset().test();
      assertTrue(train.count() + test.count() + r.skipped().size() == 2, "every file is an image or skipped");
    } catch (VaeException e) {
      assertTrue(e.getMessage().contains(dir.toString()), "the message names the folder or file: " + e.getMessage());
    } finally {
      org.vae4j.internal.util.Files2.deleteRecursively(dir);
    }
  }

  /** One picture's bytes as a Spark row brings them: pixels of the asked shape in [0, 1], or one sentence. */
  @FuzzTest(maxDuration = "10m")
  void pictureBytes(byte[] input) {
    for (int channels : new int[] {1, 3}) {
      try {
        float[] pixels = ImageBytes.decode(input, 4, 4, channels);
        assertEquals(4 * 4 * channels, pixels.length, "pixels of the asked shape");
        for (float v : pixels) {
          assertTrue(v >= 0f && v <= 1f, "pixels in [0, 1]: " + v);
        }
      } catch (VaeException e) {
        assertTrue(!e.getMessage().isBlank() && e.getMessage().indexOf('\n') < 0, "one sentence: " + e.getMessage());
      }
    }
  }

  private static final byte[] VALID_PNG = png();

  private static byte[] png() {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertNamesTheInput(VaeException e) {
    assertTrue(e.getMessage().contains(SOURCE), "the message names the input: " + e.getMessage());
  }
}
