package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.vae4j.VaeException;

/** Single pictures into pixels: exact gray levels, channel conversion, and refusals in one sentence. */
class ImageBytesTest {
  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  /** A byte level as ImageSet turns it into a float: the same conversion, so the same float, bit for bit. */
  private static float level(double b) {
    return (float) b * (1f / 255f);
  }

  @Test
  void grayPngKeepsItsLevelsExactly() throws IOException {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] levels = {0, 1, 77, 128, 200, 255};
    for (int i = 0; i < 6; i++) {
      img.getRaster().setSample(i % 3, i / 3, 0, levels[i]);
    }
    float[] pixels = ImageBytes.decode(encode(img, "png"), 2, 3, 1);
    for (int i = 0; i < 6; i++) {
      // the file's own levels, not the sRGB-converted ones getRGB gives (77 would read as 145)
      assertEquals(level(levels[i]), pixels[i], 0f);
    }
    float[] rgb = ImageBytes.decode(encode(img, "png"), 2, 3, 3);
    assertEquals(18, rgb.length);
    assertEquals(level(77), rgb[2 * 3 + 1], 0f, "gray to RGB repeats the level");
  }

  @Test
  void colorBecomesGrayByLuma() throws IOException {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, (200 << 16) | (100 << 8) | 50);
    float[] gray = ImageBytes.decode(encode(img, "png"), 1, 1, 1);
    assertEquals(level(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50)), gray[0], 0f);
    assertArrayEquals(new float[] {level(200), level(100), level(50)},
        ImageBytes.decode(encode(img, "bmp"), 1, 1, 3));
  }

  @Test
  void interleavedBgrBytesBecomeRgb() {
    byte[] bgr = {(byte) 50, (byte) 100, (byte) 200, 0, 0, (byte) 255};
    assertArrayEquals(new float[] {level(200), level(100), level(50), level(255), 0f, 0f},
        ImageBytes.interleaved(bgr, 1, 2, 3, true, 3));
    byte[] bgra = {(byte) 50, (byte) 100, (byte) 200, (byte) 9};
    assertArrayEquals(new float[] {level(200), level(100), level(50)},
        ImageBytes.interleaved(bgra, 1, 1, 4, true, 3));
    VaeException size = assertThrows(VaeException.class, () -> ImageBytes.interleaved(bgr, 2, 2, 3, true, 3));
    assertEquals("the picture's data has 6 bytes, not 2x2x3", size.getMessage());
    VaeException bands = assertThrows(VaeException.class, () -> ImageBytes.interleaved(bgr, 1, 3, 2, true, 1));
    assertEquals("the picture has 2 channels; 1 (gray), 3 or 4 (color) can be read", bands.getMessage());
  }

  @Test
  void refusesWhatIsNoPictureOrTooLargeBeforeDecoding() throws IOException {
    assertEquals("the picture is empty",
        assertThrows(VaeException.class, () -> ImageBytes.decode(new byte[0], 2, 2, 1)).getMessage());
    assertEquals("the bytes are not a PNG, JPEG, BMP or GIF picture",
        assertThrows(VaeException.class, () -> ImageBytes.decode("hello".getBytes(), 2, 2, 1)).getMessage());
    byte[] huge = Files.readAllBytes(Path.of("src/test/resources/org/vae4j/data/DataReadersFuzzTestInputs/"
        + "pictureBytes/huge-header.png"));
    assertEquals("the picture claims 10000000000 pixels; at most 16777216 are decoded",
        assertThrows(VaeException.class, () -> ImageBytes.decode(huge, 2, 2, 1)).getMessage());
    byte[] png = encode(new BufferedImage(4, 5, BufferedImage.TYPE_BYTE_GRAY), "png");
    assertEquals("the picture is 5x4 pixels but the model takes 4x5",
        assertThrows(VaeException.class, () -> ImageBytes.decode(png, 4, 5, 1)).getMessage());
    byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
    VaeException broken = assertThrows(VaeException.class, () -> ImageBytes.decode(truncated, 5, 4, 1));
    assertEquals(-1, broken.getMessage().indexOf('\n'), broken.getMessage());
  }
}
