package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.Fixtures;
import org.vae4j.internal.json.Json;

/**
 * A picture folder read through its cache file gives the data set a plain decode gives, byte for byte; a changed
 * folder or a damaged or crafted cache file is decoded again, never read as a wrong data set.
 */
class FolderCacheTest {
  @TempDir
  Path dir;
  Path pictures;
  Path cache;
  ImageFolders.Options options;
  List<String> log = new ArrayList<>();

  @BeforeEach
  void folder() throws IOException {
    pictures = Fixtures.pictureFolder(dir.resolve("pics"), 3, 8, 8, 12, true);
    cache = dir.resolve("cache");
    options = ImageFolders.Options.defaults().withCache(cache);
  }

  private ImageFolders.Result load() {
    return ImageFolders.load(pictures, options, log::add);
  }

  private ImageFolders.Result plain() {
    return ImageFolders.load(pictures, ImageFolders.Options.defaults(), s -> { });
  }

  private static void assertSameData(ImageFolders.Result want, ImageFolders.Result got) {
    assertEquals(want.labelNames(), got.labelNames());
    assertEquals(want.skipped(), got.skipped());
    for (boolean train : new boolean[] {true, false}) {
      ImageSet a = train ? want.dataset().train() : want.dataset().test();
      ImageSet b = train ? got.dataset().train() : got.dataset().test();
      assertEquals(a.count(), b.count());
      assertArrayEquals(new int[] {a.height(), a.width(), a.channels()}, new int[] {b.height(), b.width(),
          b.channels()});
      for (int i = 0; i < a.count(); i++) {
        assertArrayEquals(a.bytes(i), b.bytes(i), (train ? "train " : "test ") + i);
        assertEquals(a.label(i), b.label(i));
      }
    }
  }

  private List<Path> cacheFiles() throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.toList();
    }
  }

  @Test
  void theSecondReadComesFromTheCacheAndEqualsAPlainDecode() throws IOException {
    ImageFolders.Result first = load();
    assertNotNull(first.cacheFile());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("decoded 25 pictures of " + pictures + " into the cache")),
        log.toString());
    assertSameData(plain(), first);
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(cache)), "a folder it made itself is its owner's alone");
    log.clear();
    ImageFolders.Result second = load();
    assertEquals(first.cacheFile(), second.cacheFile());
    assertEquals("read 25 pictures of " + pictures + " from the cache " + first.cacheFile(), log.get(0));
    assertTrue(log.get(1).startsWith("skipped 1 file(s)"), "the skipped file is still named: " + log);
    assertSameData(plain(), second);
    assertEquals(List.of(first.cacheFile()), cacheFiles(), "one file, no temporary left");
    assertNull(plain().cacheFile());
  }

  @Test
  void otherOptionsTakeAnotherCacheFile() throws IOException {
    load();
    ImageFolders.Result gray = ImageFolders.load(pictures, new ImageFolders.Options(1, 4, 4, false, 0.1,
        ImageFolders.SPLIT_SEED, cache), s -> { });
    assertEquals(1, gray.dataset().channels());
    assertEquals(2, cacheFiles().size());
  }

  @Test
  void aChangedPictureOrANewOneIsDecodedAgain() throws IOException {
    load();
    Path one = pictures.resolve("class-b").resolve("img1.bmp");
    Files.setLastModifiedTime(one, FileTime.fromMillis(Files.getLastModifiedTime(one).toMillis() + 2000));
    log.clear();
    assertSameData(plain(), load());
    assertTrue(log.get(0).contains("the folder changed since it was decoded"), log.toString());
    Files.copy(one, pictures.resolve("class-c").resolve("extra.bmp"));
    log.clear();
    ImageFolders.Result grown = load();
    assertEquals(26, grown.dataset().train().count() + grown.dataset().test().count());
    assertTrue(log.get(0).contains("the folder changed"), log.toString());
    assertSameData(plain(), grown);
  }

  private void damaged(Consumer<FileChannel> damage, String reason) throws IOException {
    Path file = load().cacheFile();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      damage.accept(ch);
    }
    log.clear();
    ImageFolders.Result again = load();
    assertTrue(log.get(0).contains("cannot be used (" + reason), reason + ": " + log);
    assertSameData(plain(), again);
    log.clear();
    load();
    assertTrue(log.get(0).startsWith("read 25 pictures"), "rebuilt over the damaged file: " + log);
  }

  private static void put(FileChannel ch, long at, ByteBuffer b) {
    try {
      ch.write(b, at);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, Object> header(FileChannel ch) {
    try {
      ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(len, 8);
      ByteBuffer json = ByteBuffer.allocate(len.flip().getInt());
      ch.read(json, 12);
      return Json.parseObject(new String(json.array(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes {@code header} over the old one; the pixels start at a fixed offset, so any length up to it fits. */
  private static void rewrite(FileChannel ch, Map<String, Object> header) {
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(12 + json.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("VAE4JPIX".getBytes(StandardCharsets.US_ASCII)).putInt(json.length).put(json).flip();
    put(ch, 0, b);
  }

  @Test
  void aFileThatIsNotACacheIsDecodedOver() throws IOException {
    damaged(ch -> put(ch, 0, ByteBuffer.wrap("GIF89a..".getBytes(StandardCharsets.US_ASCII))),
        "it is not a vae4j picture cache");
  }

  @Test
  void aCutFileIsDecodedOver() throws IOException {
    damaged(ch -> {
      try {
        ch.truncate(ch.size() - 1);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "its header does not add up");
  }

  @Test
  void aHeaderThatIsNotJsonIsDecodedOver() throws IOException {
    damaged(ch -> put(ch, 12, ByteBuffer.wrap("{\"key\": [[[".getBytes(StandardCharsets.US_ASCII))),
        "it cannot be read");
  }

  @Test
  void aCraftedHeaderWithTheRightKeyButLargerPicturesIsDecodedOver() throws IOException {
    // the key is no secret: an attacker who can write the cache folder copies it from a real file
    damaged(ch -> {
      Map<String, Object> h = header(ch);
      h.put("height", 4096);
      h.put("width", 4096);
      rewrite(ch, h);
    }, "its header does not add up");
  }

  @Test
  void aCraftedHeaderClaimingMoreImagesThanItsSlotsIsDecodedOver() throws IOException {
    damaged(ch -> {
      Map<String, Object> h = header(ch);
      h.put("train", ((Number) h.get("slots")).intValue());
      rewrite(ch, h);
    }, "its header does not add up");
  }

  @Test
  void aCraftedNegativeOrFractionalCountIsDecodedOver() throws IOException {
    damaged(ch -> {
      Map<String, Object> h = header(ch);
      h.put("test", -1);
      rewrite(ch, h);
    }, "it cannot be read (test is not a count)");
    damaged(ch -> {
      Map<String, Object> h = header(ch);
      h.put("pixels_at", 1.5);
      rewrite(ch, h);
    }, "it cannot be read (pixels_at is not a count)");
  }

  @Test
  void aHeaderWhoseLabelsDoNotMatchItsNamesIsDecodedOver() throws IOException {
    damaged(ch -> {
      Map<String, Object> h = header(ch);
      h.put("labelled", false);
      rewrite(ch, h);
    }, "its header does not add up");
  }

  @Test
  void anEmptyTestFolderMadeBesideTrainChangesTheSplitAndIsNotServedFromTheCache() throws IOException {
    Path split = Fixtures.pictureFolder(dir.resolve("split").resolve("train"), 2, 5, 8, 8, false).getParent();
    ImageFolders.Result before = ImageFolders.load(split, options, log::add);
    assertTrue(before.dataset().test().count() > 0, "a held-out share of train/");
    Files.createDirectories(split.resolve("test"));
    org.vae4j.VaeException e = org.junit.jupiter.api.Assertions.assertThrows(org.vae4j.VaeException.class,
        () -> ImageFolders.load(split, options, log::add), "train/ and test/ are the splits now, as a plain read says");
    assertTrue(e.getMessage().contains("leaves no test images"), e.getMessage());
  }

  @Test
  void aHeaderOfManyLabelNamesGetsTheRoomItNeeds() {
    // 200,000 names (a face-identity folder, say) take more than the fixed megabyte of header room
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      names.add(String.format("person-%07d", i));
    }
    Path target = cache.resolve("many.vae4j-pixels");
    try (FolderCache.Writer w = FolderCache.create(target, 2, 4, names, log::add)) {
      w.pixels().write(0, new byte[] {1, 2, 3, 4}, 0);
      w.pixels().write(1, new byte[] {5, 6, 7, 8}, 0);
      w.commit(new FolderCache.Header("k", 1, 2, 2, 2, 1, 1, true, names, List.of(), 0), new int[] {0, 199_999});
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    FolderCache.Hit hit = FolderCache.open(target, "k", log::add);
    assertNotNull(hit, log.toString());
    assertEquals(200_000, hit.header().labelNames().size());
    assertEquals(199_999, hit.test().label(0));
    assertArrayEquals(new byte[] {5, 6, 7, 8}, hit.test().bytes(0));
  }

  @Test
  void aLabelOutOfRangeIsDecodedOver() throws IOException {
    damaged(ch -> {
      Map<String, Object> h = header(ch);
      long labelsAt = ((Number) h.get("labels_at")).longValue();
      put(ch, labelsAt + 4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 3));
    }, "a label is out of range");
  }

  @Test
  void anAbandonedWriteLeavesNothingAndAStaleLeftoverIsCleared() throws IOException {
    Path target = FolderCache.file(cache, pictures, options);
    try (FolderCache.Writer w = FolderCache.create(target, 4, 16, List.of(), log::add)) {
      assertNotNull(w);
      assertEquals(1, cacheFiles().size(), "the temporary file while it is written");
    }
    assertEquals(List.of(), cacheFiles(), "closed without a commit: nothing left");
    Path leftover = cache.resolve("." + target.getFileName() + ".tmp-0123abcd");
    Files.writeString(leftover, "half a cache from a process that died");
    Files.setLastModifiedTime(leftover, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
    ImageFolders.Result r = load();
    assertEquals(List.of(r.cacheFile()), cacheFiles(), "the two-hour-old leftover of the same file is gone");
  }

  @Test
  void aCacheFolderThatCannotBeWrittenFallsBackToMemoryWithALine() throws IOException {
    Files.writeString(cache, "a file where the cache folder should be");
    ImageFolders.Result r = load();
    assertNull(r.cacheFile());
    assertTrue(log.get(0).startsWith("cannot write the picture cache " + FolderCache.file(cache, pictures,
        options)) && log.get(0).endsWith("decoding into memory instead"), log.toString());
    assertSameData(plain(), r);
  }
}
