package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.vae4j.VaeException;

/**
 * Reads regular files out of a tar stream (POSIX ustar and GNU tar headers; the format of the CIFAR archives):
 * 512-byte headers with the name and an octal size, each file padded to 512 bytes, two zero blocks at the end.
 */
final class TarReader {
  private static final int BLOCK = 512;

  private TarReader() {}

  /**
   * The files whose names pass {@code wanted}, by name, read whole.
   *
   * @param source names the archive in error messages
   */
  public static Map<String, byte[]> read(InputStream in, Predicate<String> wanted, String source) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try {
      while (true) {
        byte[] header = in.readNBytes(BLOCK);
        if (header.length == 0 || isZero(header)) {
          return files;
        }
        if (header.length < BLOCK) {
          throw new VaeException(source + " is truncated inside a tar header");
        }
        String name = text(header, 0, 100);
        String prefix = text(header, 345, 155);
        if (!prefix.isEmpty() && header[257] == 'u') {
          name = prefix + "/" + name;
        }
        long size = octal(header, 124, 12, source);
        byte type = header[156];
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        boolean regular = type == '0' || type == 0;
        if (regular && wanted.test(name)) {
          if (size > Integer.MAX_VALUE - 64) {
            throw new VaeException(source + ": " + name + " is larger than 2 GB");
          }
          byte[] data = in.readNBytes((int) size);
          if (data.length < size) {
            throw new VaeException(source + " is truncated inside " + name);
          }
          files.put(name, data);
          in.skipNBytes(padded - size);
        } else {
          in.skipNBytes(padded);
        }
      }
    } catch (java.io.EOFException e) {
      throw new VaeException(source + " is truncated", e);
    } catch (IOException e) {
      throw new VaeException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int from, int length) {
    int end = from;
    while (end < from + length && header[end] != 0) {
      end++;
    }
    return new String(header, from, end - from, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int from, int length, String source) {
    String s = text(header, from, length).trim();
    // digits only: Long.parseLong would also take a sign, and a negative size is no size
    if (!s.matches("[0-7]{0,11}")) {
      throw new VaeException(source + " has a tar header with a bad size field '" + s + "'");
    }
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }
}
