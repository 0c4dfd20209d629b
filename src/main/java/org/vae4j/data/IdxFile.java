package org.vae4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.vae4j.VaeException;

/**
 * Reader of the idx format MNIST and its relatives use: a 4-byte magic (two zero bytes, a type code, the rank),
 * one big-endian int per dimension, then the data. Files may be gzipped (detected by their first bytes).
 *
 * <p>Only unsigned-byte data (type 0x08) is accepted, which is what every image and label file of the MNIST family
 * holds. Every check fails with a {@link VaeException} that names the file and what is wrong with it.
 */
final class IdxFile {
  /** Type code of unsigned bytes. */
  static final int UBYTE = 0x08;
  private static final int MAX_RANK = 4;
  /** The most data bytes one file may declare (the largest Java array, less headroom). */
  static final long MAX_BYTES = Integer.MAX_VALUE - 64;

  private IdxFile() {}

  /** The dimensions and raw unsigned bytes of one idx file. */
  public record Contents(int[] dims, byte[] data) {
    public int count() {
      return dims[0];
    }
  }

  /** Reads a file from disk, gzipped or not. */
  public static Contents read(Path file) {
    return read(file, null);
  }

  /**
   * Reads a file from disk and, when {@code expectedSha256} is not null, checks the SHA-256 of its uncompressed
   * bytes.
   */
  public static Contents read(Path file, String expectedSha256) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), expectedSha256);
    } catch (NoSuchFileException e) {
      throw new VaeException("idx file " + file + " does not exist");
    } catch (IOException e) {
      throw new VaeException("cannot read idx file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads one idx file from a stream. {@code source} names it in error messages.
   *
   * @param expectedSha256 lower-case hex SHA-256 of the uncompressed bytes, or null to skip the check
   */
  public static Contents read(InputStream raw, String source, String expectedSha256) {
    try {
      InputStream in = new BufferedInputStream(raw, 1 << 16);
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
      }
      MessageDigest digest = sha256();
      in = new DigestInputStream(in, digest);
      Contents contents = readIdx(in, source);
      if (expectedSha256 != null) {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(expectedSha256)) {
          throw new VaeException(source + " is corrupt: its SHA-256 is " + actual + ", expected " + expectedSha256);
        }
      }
      return contents;
    } catch (ZipException e) {
      throw new VaeException(source + " is not a valid gzip file: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new VaeException(source + " is truncated: the gzip stream ends early", e);
    } catch (IOException e) {
      throw new VaeException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  private static Contents readIdx(InputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4) {
      throw new VaeException(source + " is too short to be an idx file (" + magic.length + " bytes)");
    }
    if (magic[0] != 0 || magic[1] != 0) {
      throw new VaeException(String.format(
          "%s is not an idx file: its magic number starts with 0x%02x%02x, expected 0x0000",
          source, magic[0] & 0xff, magic[1] & 0xff));
    }
    int type = magic[2] & 0xff;
    if (type != UBYTE) {
      throw new VaeException(String.format(
          "%s holds idx data of type 0x%02x; vae4j reads unsigned-byte idx files (type 0x08)", source, type));
    }
    int rank = magic[3] & 0xff;
    if (rank < 1 || rank > MAX_RANK) {
      throw new VaeException(source + " has rank " + rank + "; expected 1 to " + MAX_RANK + " dimensions");
    }
    byte[] header = in.readNBytes(4 * rank);
    if (header.length < 4 * rank) {
      throw new VaeException(source + " is truncated inside its header (" + rank + " dimensions expected)");
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      // unsigned: a header may claim up to 4,294,967,295 per dimension, and each is named as it is written
      long d = ((header[4 * i] & 0xffL) << 24) | ((header[4 * i + 1] & 0xff) << 16)
          | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
      if (d == 0) {
        throw new VaeException(source + " has dimension " + i + " of size 0; every dimension must be at least 1");
      }
      total = d > MAX_BYTES || total > MAX_BYTES ? MAX_BYTES + 1 : total * d;
      if (d > Integer.MAX_VALUE || total > MAX_BYTES) {
        throw new VaeException(source + " declares " + (i == 0 ? d + " items" : "dimension " + i + " of size " + d)
            + (i == 0 ? "" : " after " + Arrays.toString(Arrays.copyOf(dims, i))) + ", more data than vae4j reads"
            + " from one idx file (at most " + MAX_BYTES + " bytes)");
      }
      dims[i] = (int) d;
    }
    byte[] data = in.readNBytes((int) total);
    if (data.length < total) {
      throw new VaeException(source + " is truncated: dimensions " + Arrays.toString(dims) + " need " + total
          + " bytes of data, found " + data.length);
    }
    long extra = 0;
    byte[] skip = new byte[8192];
    for (int n; (n = in.read(skip)) > 0; ) {
      extra += n;
    }
    if (extra > 0) {
      throw new VaeException(source + " has " + extra + " bytes after the data its dimensions "
          + Arrays.toString(dims) + " declare");
    }
    return new Contents(dims, data);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
