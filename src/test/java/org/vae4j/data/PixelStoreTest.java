package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelStoreTest {
  @TempDir
  Path dir;

  private static byte[] image(long i, int size) {
    byte[] b = new byte[size];
    for (int j = 0; j < size; j++) {
      b[j] = (byte) (i * 31 + j * 7);
    }
    return b;
  }

  @Test
  void imagesAcrossSmallChunksReadBackAsWrittenAndAsTheFloatsOfTheArrayStore() {
    int size = 7;
    // 20-byte chunks hold 2 images each: 10 images make 5 chunks, and image 9 is the last of the last chunk
    PixelStore store = PixelStore.allocate(10, size, 20);
    byte[] all = new byte[10 * size];
    for (int i = 0; i < 10; i++) {
      store.write(i, image(i, size), 0);
      System.arraycopy(image(i, size), 0, all, i * size, size);
    }
    PixelStore array = PixelStore.wrap(all, size);
    byte[] got = new byte[size];
    float[] chunked = new float[size];
    float[] whole = new float[size];
    byte[] scratch = new byte[size];
    for (int i = 0; i < 10; i++) {
      store.read(i, got, 0);
      assertArrayEquals(image(i, size), got, "image " + i);
      store.toFloats(i, chunked, 0, scratch);
      array.toFloats(i, whole, 0, scratch);
      assertArrayEquals(whole, chunked, "the same float expression on every path, bit for bit");
    }
    assertEquals((all[3 * size + 2] & 0xff) / 255f, floatOf(array, 3, 2), 1e-7f);
    assertThrows(IndexOutOfBoundsException.class, () -> store.read(10, got, 0));
    assertThrows(IllegalArgumentException.class, () -> PixelStore.allocate(3, 21, 20),
        "an image larger than a chunk");
  }

  private static float floatOf(PixelStore s, long image, int j) {
    float[] f = new float[s.imageSize()];
    s.toFloats(image, f, 0, new byte[s.imageSize()]);
    return f[j];
  }

  @Test
  void aMappedStoreOverTwoGibibytesReachesItsLastImageThroughLongPositions() throws IOException {
    int size = 64 * 64 * 3;
    long count = (1L << 31) / size + 10; // 174,772 images: 2,147,606,528 bytes, past any int offset
    Path file = dir.resolve("big.pixels");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long offset = 4096;
      ch.write(ByteBuffer.wrap(new byte[] {0}), offset + count * size - 1); // sparse: no disk taken
      PixelStore store = PixelStore.map(ch, offset, count, size, FileChannel.MapMode.READ_WRITE,
          PixelStore.CHUNK_BYTES);
      long last = count - 1;
      long firstOfSecondChunk = PixelStore.CHUNK_BYTES / size;
      for (long i : new long[] {0, firstOfSecondChunk - 1, firstOfSecondChunk, last}) {
        store.write(i, image(i, size), 0);
      }
      ImageSet set = new ImageSet(store, 0, null, (int) count, 64, 64, 3);
      assertArrayEquals(image(last, size), set.bytes((int) last));
      assertArrayEquals(image(firstOfSecondChunk, size), set.bytes((int) firstOfSecondChunk));
      ImageSet tail = set.slice((int) last - 1, 2);
      assertArrayEquals(image(last, size), tail.bytes(1), "a view reads through to the same bytes");
      assertArrayEquals(new byte[size], tail.bytes(0), "an image never written reads as zeros");
      float[] f = new float[size];
      set.copyImages(new int[] {(int) last}, 0, 1, f);
      assertEquals((image(last, size)[5] & 0xff) / 255f, f[5], 1e-7f);
    }
  }

  @Test
  void viewsShareTheirSetsBytesAndLabels() {
    int size = 4;
    byte[] all = new byte[6 * size];
    for (int i = 0; i < 6; i++) {
      System.arraycopy(image(i, size), 0, all, i * size, size);
    }
    ImageSet set = new ImageSet(all, new int[] {0, 1, 2, 3, 4, 5}, 6, 2, 2, 1);
    ImageSet mid = set.slice(2, 3);
    ImageSet inner = mid.slice(1, 2).first(1);
    assertEquals(1, inner.count());
    assertEquals(3, inner.label(0));
    assertArrayEquals(image(3, size), inner.bytes(0));
    assertThrows(IndexOutOfBoundsException.class, () -> mid.bytes(3), "a view stops at its own end");
    assertThrows(IllegalArgumentException.class, () -> set.slice(4, 3));
  }
}
