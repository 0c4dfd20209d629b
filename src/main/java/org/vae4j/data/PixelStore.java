package org.vae4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The unsigned 8-bit pixels of a collection of images, held in chunks of whole images of at most
 * {@link #CHUNK_BYTES} each, so that no Java array or buffer holds more than 2^31 values however large the
 * collection: byte arrays on the heap, or a file mapped into memory (the operating system pages it in and out, so
 * a collection larger than the heap trains with bounded memory). Positions are longs throughout. Reads and writes
 * of distinct images may run on several threads at once; nothing here moves a buffer's position.
 */
final class PixelStore {
  /** The most bytes one chunk holds: 1 GiB, well inside a Java array's and a mapping's int-indexed limit. */
  static final long CHUNK_BYTES = 1L << 30;

  private final ByteBuffer[] chunks;
  private final int imageSize;
  private final int perChunk;
  private final long count;

  private PixelStore(ByteBuffer[] chunks, int imageSize, int perChunk, long count) {
    this.chunks = chunks;
    this.imageSize = imageSize;
    this.perChunk = perChunk;
    this.count = count;
  }

  /** The images already in {@code pixels}, image after image, as one chunk (an array is under 2^31 values). */
  static PixelStore wrap(byte[] pixels, int imageSize) {
    int images = pixels.length / imageSize;
    return new PixelStore(new ByteBuffer[] {ByteBuffer.wrap(pixels)}, imageSize, Math.max(1, images), images);
  }

  /** Zeroed room for {@code count} images on the heap, in chunks of at most {@code chunkBytes}. */
  static PixelStore allocate(long count, int imageSize, long chunkBytes) {
    int perChunk = imagesPerChunk(imageSize, chunkBytes);
    ByteBuffer[] chunks = new ByteBuffer[chunkCount(count, perChunk)];
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = ByteBuffer.allocate(Math.toIntExact(Math.min(perChunk, count - (long) c * perChunk) * imageSize));
    }
    return new PixelStore(chunks, imageSize, perChunk, count);
  }

  /**
   * {@code count} images of {@code file} from byte {@code offset} on, mapped in chunks of at most
   * {@code chunkBytes} ({@code mode} READ_ONLY to train from a cache, READ_WRITE to fill one).
   */
  static PixelStore map(FileChannel file, long offset, long count, int imageSize, FileChannel.MapMode mode,
      long chunkBytes) throws IOException {
    int perChunk = imagesPerChunk(imageSize, chunkBytes);
    ByteBuffer[] chunks = new ByteBuffer[chunkCount(count, perChunk)];
    for (int c = 0; c < chunks.length; c++) {
      long images = Math.min(perChunk, count - (long) c * perChunk);
      chunks[c] = file.map(mode, offset + (long) c * perChunk * imageSize, images * imageSize);
    }
    return new PixelStore(chunks, imageSize, perChunk, count);
  }

  private static int imagesPerChunk(int imageSize, long chunkBytes) {
    if (imageSize < 1 || imageSize > chunkBytes) {
      throw new IllegalArgumentException("an image of " + imageSize + " bytes does not fit a chunk of " + chunkBytes);
    }
    return (int) Math.min(Integer.MAX_VALUE, chunkBytes / imageSize);
  }

  private static int chunkCount(long count, int perChunk) {
    if (count < 0) {
      throw new IllegalArgumentException("negative image count " + count);
    }
    return Math.toIntExact((count + perChunk - 1) / perChunk);
  }

  /** Images held. */
  long count() {
    return count;
  }

  /** Bytes per image. */
  int imageSize() {
    return imageSize;
  }

  private ByteBuffer chunk(long image) {
    if (image < 0 || image >= count) {
      throw new IndexOutOfBoundsException("image " + image + " of " + count);
    }
    return chunks[(int) (image / perChunk)];
  }

  private int position(long image) {
    return (int) (image % perChunk) * imageSize;
  }

  /** Copies image {@code image}'s bytes into {@code dst} from {@code off}. */
  void read(long image, byte[] dst, int off) {
    chunk(image).get(position(image), dst, off, imageSize);
  }

  /** Writes {@code src}'s bytes from {@code off} as image {@code image}. */
  void write(long image, byte[] src, int off) {
    chunk(image).put(position(image), src, off, imageSize);
  }

  /**
   * Writes image {@code image} into {@code dst} from {@code off} as floats in [0, 1]; {@code scratch} (at least
   * an image's size) holds the bytes on the way when they are not on the heap.
   */
  void toFloats(long image, float[] dst, int off, byte[] scratch) {
    ByteBuffer b = chunk(image);
    byte[] src;
    int from;
    if (b.hasArray()) {
      src = b.array();
      from = b.arrayOffset() + position(image);
    } else {
      b.get(position(image), scratch, 0, imageSize);
      src = scratch;
      from = 0;
    }
    for (int j = 0; j < imageSize; j++) {
      dst[off + j] = (src[from + j] & 0xff) * (1f / 255f);
    }
  }
}
