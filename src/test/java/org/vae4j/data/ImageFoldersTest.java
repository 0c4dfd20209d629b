package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;

class ImageFoldersTest {
  @TempDir
  Path dir;

  @Test
  void subfoldersBecomeLabelsAndBadFilesAreSkippedWithACount() throws IOException {
    Path root = Fixtures.pictureFolder(dir.resolve("pics"), 3, 10, 8, 12, false);
    List<String> log = new ArrayList<>();
    ImageFolders.Result r = ImageFolders.load(root, ImageFolders.Options.defaults(), log::add);
    Dataset d = r.dataset();
    assertEquals(List.of("class-a", "class-b", "class-c"), r.labelNames());
    assertEquals(8, d.height(), "the most common size wins");
    assertEquals(12, d.width());
    assertEquals(1, d.channels(), "gray pictures give one channel");
    assertEquals(31, d.train().count() + d.test().count(), "30 pictures and the resized large one");
    assertEquals(3, d.test().count(), "10% held out");
    assertEquals(List.of(root.resolve("class-a").resolve("broken.png").toString()), r.skipped());
    assertTrue(log.get(0).startsWith("skipped 1 file"), log.toString());
    for (int i = 0; i < d.train().count(); i++) {
      assertTrue(d.train().label(i) >= 0 && d.train().label(i) < 3);
    }
  }

  @Test
  void strictModeStopsAtAnUndecodableFile() throws IOException {
    Path root = Fixtures.pictureFolder(dir.resolve("strict"), 2, 4, 8, 8, false);
    VaeException e = assertThrows(VaeException.class, () -> ImageFolders.load(root,
        new ImageFolders.Options(0, 0, 0, true, 0.1, 1), s -> { }));
    assertTrue(e.getMessage().contains("broken.png") && e.getMessage().contains("strict"), e.getMessage());
  }

  @Test
  void colorPicturesGiveThreeChannelsAndCanBeForcedToGray() throws IOException {
    Path root = Fixtures.pictureFolder(dir.resolve("color"), 2, 6, 16, 16, true);
    Dataset d = ImageFolders.load(root, ImageFolders.Options.defaults(), s -> { }).dataset();
    assertEquals(3, d.channels());
    Dataset gray = ImageFolders.load(root, new ImageFolders.Options(1, 8, 8, false, 0.2, 1), s -> { }).dataset();
    assertEquals(1, gray.channels());
    assertEquals(8, gray.height());
  }

  @Test
  void trainAndTestSubfoldersAreTheSplits() throws IOException {
    Fixtures.pictureFolder(dir.resolve("split/train"), 2, 5, 8, 8, false);
    Fixtures.pictureFolder(dir.resolve("split/test"), 2, 2, 8, 8, false);
    Dataset d = ImageFolders.load(dir.resolve("split"), ImageFolders.Options.defaults(), s -> { }).dataset();
    assertEquals(11, d.train().count());
    assertEquals(5, d.test().count());
  }

  @Test
  void resizingCoversTheTargetThenCropsTheCenter() {
    BufferedImage wide = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = wide.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(15, 0, 10, 20); // a white band in the middle
    g.dispose();
    BufferedImage fitted = PictureDecoder.fit(wide, 10, 10);
    assertEquals(10, fitted.getWidth());
    assertEquals(10, fitted.getHeight());
    assertEquals(0xFFFFFF, fitted.getRGB(5, 5) & 0xFFFFFF, "the center band stays in the center");
    assertEquals(0, fitted.getRGB(0, 5) & 0xFFFFFF, "the edges of the crop are the original's dark sides");
  }

  @Test
  void anEmptyOrMissingFolderIsNamed() throws IOException {
    VaeException e = assertThrows(VaeException.class,
        () -> ImageFolders.load(dir.resolve("nope"), ImageFolders.Options.defaults(), s -> { }));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Files.createDirectories(dir.resolve("empty"));
    e = assertThrows(VaeException.class,
        () -> ImageFolders.load(dir.resolve("empty"), ImageFolders.Options.defaults(), s -> { }));
    assertTrue(e.getMessage().contains("holds no PNG"), e.getMessage());
  }

  @Test
  void picturesTooLargeForTheFreeHeapAreRefusedWithTheWayOut() {
    // 43 RGB pictures of 4096 x 4096 are 2,164,260,864 bytes: more than an int, and more than 80% of 2 GiB free
    org.vae4j.VaeException e = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class,
        () -> ImageFolders.checkHeap(java.nio.file.Path.of("pics"), 43, 4096, 4096, 3, 2L << 30));
    assertEquals("the pictures in pics need 2,064 MB (43 of 4096 x 4096 x 3) and the heap has 2,048 MB free: read"
        + " them through a memory-mapped file (cache) or give Java more memory (-Xmx)", e.getMessage());
    assertEquals(List.of("cache"), e.fields(), "the command line shows the field as --cache-dir");
    ImageFolders.checkHeap(java.nio.file.Path.of("pics"), 43, 4096, 4096, 3, 3L << 30);
  }
}
