package org.vae4j.internal.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
  @TempDir
  Path dir;

  @Test
  void grayImagesLandInTheirCellsScaled() throws IOException {
    float[][] images = {{0f, 1f, 0.5f, 0f}, {1f, 1f, 1f, 1f}, {0f, 0f, 0f, 0f}};
    BufferedImage grid = new ImageGrid(2, 2, 1, 3, 1).render(images, 2);
    assertEquals((2 * 3 + 1) * 3, grid.getWidth());
    assertEquals((2 * 3 + 1) * 3, grid.getHeight());
    // first image starts after one gap (3 px): pixel (0,1) is white, (1,0) is 128 gray
    assertEquals(0xFFFFFF, grid.getRGB(3 + 3, 3) & 0xFFFFFF);
    assertEquals(0x000000, grid.getRGB(3, 3) & 0xFFFFFF);
    assertEquals(0x808080, grid.getRGB(3, 3 + 3) & 0xFFFFFF);
    // second image, second column: all white
    assertEquals(0xFFFFFF, grid.getRGB(3 + 9 + 1, 3 + 1) & 0xFFFFFF);
    Path png = dir.resolve("g.png");
    ImageGrid.writePng(grid, png);
    BufferedImage back = ImageIO.read(png.toFile());
    assertEquals(grid.getWidth(), back.getWidth());
    assertEquals(grid.getRGB(3 + 3, 3), back.getRGB(3 + 3, 3));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  @Test
  void colorImagesKeepTheirChannels() {
    float[][] images = {{1f, 0f, 0f, 0f, 0f, 1f}};
    BufferedImage grid = new ImageGrid(1, 2, 3, 1, 0).render(images, 1);
    assertEquals(0xFF0000, grid.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x0000FF, grid.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void pairsAlternateOriginalAndReconstruction() {
    float[][] a = {{1f}, {1f}};
    float[][] b = {{0f}, {0f}};
    BufferedImage grid = new ImageGrid(1, 1, 1, 1, 0).renderPairs(a, b, 2);
    assertEquals(4, grid.getWidth());
    assertEquals(0xFFFFFF, grid.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x000000, grid.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(0xFFFFFF, grid.getRGB(2, 0) & 0xFFFFFF);
  }

  @Test
  void otherChannelCountsShowWhatCanBeShown() {
    BufferedImage two = new ImageGrid(1, 1, 2, 1, 0).render(new float[][] {{1f, 0f}}, 1);
    assertEquals(0xFFFFFF, two.getRGB(0, 0) & 0xFFFFFF);
    BufferedImage four = new ImageGrid(1, 1, 4, 1, 0).render(new float[][] {{0f, 1f, 0f, 1f}}, 1);
    assertEquals(0x00FF00, four.getRGB(0, 0) & 0xFFFFFF);
    assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2, 2, 0, 1, 0));
  }
}
