package org.vae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.vae4j.VaeException;

/**
 * The subset of MATLAB's level-5 MAT-file format that SVHN's {@code *_32x32.mat} files use: numeric arrays (uint8
 * or double), possibly zlib-compressed, read as flat column-major arrays with their dimensions. (Version 7.3 files
 * are HDF5 and not read here.)
 */
final class MatFile {
  private static final int MI_INT8 = 1;
  private static final int MI_UINT8 = 2;
  private static final int MI_INT32 = 5;
  private static final int MI_UINT32 = 6;
  private static final int MI_DOUBLE = 9;
  private static final int MI_MATRIX = 14;
  private static final int MI_COMPRESSED = 15;

  private MatFile() {}

  /**
   * One array: its dimensions (MATLAB order, column-major) and its values. uint8 data stays in {@code bytes};
   * double data is in {@code doubles}.
   */
  public record Array(int[] dims, byte[] bytes, double[] doubles) {
    public long size() {
      long n = 1;
      for (int d : dims) {
        n *= d;
      }
      return n;
    }

    /** Element i as a number, whichever the storage. */
    public double get(int i) {
      return bytes != null ? bytes[i] & 0xff : doubles[i];
    }
  }

  /** Every numeric array of the file, by variable name. */
  public static Map<String, Array> read(InputStream in, String source) {
    try {
      byte[] header = in.readNBytes(128);
      if (header.length < 128 || !new String(header, 0, 6, StandardCharsets.US_ASCII).equals("MATLAB")) {
        throw new VaeException(source + " is not a MATLAB MAT-file");
      }
      ByteOrder order = header[126] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      int version = ByteBuffer.wrap(header, 124, 2).order(order).getShort() & 0xffff;
      if (version != 0x0100) {
        throw new VaeException(source + " is a MAT-file of version " + Integer.toHexString(version)
            + " (7.3 files are HDF5); vae4j reads level-5 MAT-files");
      }
      Map<String, Array> arrays = new LinkedHashMap<>();
      ByteBuffer body = ByteBuffer.wrap(in.readAllBytes()).order(order);
      while (body.remaining() >= 8) {
        readElement(body, order, arrays, source);
      }
      return arrays;
    } catch (IOException e) {
      throw new VaeException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  private static void readElement(ByteBuffer b, ByteOrder order, Map<String, Array> out, String source) {
    int type = b.getInt();
    int size = b.getInt();
    if (size < 0 || size > b.remaining()) {
      throw new VaeException(source + " is truncated: an element of " + Integer.toUnsignedString(size)
          + " bytes with " + b.remaining() + " left");
    }
    byte[] data = new byte[size];
    b.get(data);
    if (type == MI_COMPRESSED) {
      ByteBuffer inner = ByteBuffer.wrap(inflate(data, source)).order(order);
      while (inner.remaining() >= 8) {
        readElement(inner, order, out, source);
      }
      return;
    }
    if (type != MI_MATRIX) {
      skipPadding(b, size);
      return;
    }
    skipPadding(b, size);
    ByteBuffer m = ByteBuffer.wrap(data).order(order);
    subElement(m, source); // array flags
    int[] dims = toInts(subElement(m, source), order, source);
    String name = new String(subElement(m, source).data, StandardCharsets.US_ASCII);
    Sub real = subElement(m, source);
    long count = 1;
    for (int d : dims) {
      count *= d;
    }
    if (real.type == MI_UINT8 || real.type == MI_INT8) {
      if (real.data.length != count) {
        throw new VaeException(source + ": '" + name + "' holds " + real.data.length + " values for dimensions "
            + Arrays.toString(dims));
      }
      out.put(name, new Array(dims, real.data, null));
    } else if (real.type == MI_DOUBLE) {
      double[] values = new double[real.data.length / 8];
      ByteBuffer.wrap(real.data).order(order).asDoubleBuffer().get(values);
      if (values.length != count) {
        throw new VaeException(source + ": '" + name + "' holds " + values.length + " values for dimensions "
            + Arrays.toString(dims));
      }
      out.put(name, new Array(dims, null, values));
    }
  }

  private record Sub(int type, byte[] data) {}

  /** A sub-element of a matrix, in the normal or the small (4-byte, packed) format, padding skipped. */
  private static Sub subElement(ByteBuffer m, String source) {
    if (m.remaining() < 8) {
      throw new VaeException(source + " has a truncated matrix element");
    }
    int tag = m.getInt();
    if ((tag >>> 16) != 0) {
      int size = tag >>> 16;
      byte[] data = new byte[4];
      m.get(data);
      return new Sub(tag & 0xffff, Arrays.copyOf(data, size));
    }
    int size = m.getInt();
    if (size < 0 || size > m.remaining()) {
      throw new VaeException(source + " has a truncated matrix element");
    }
    byte[] data = new byte[size];
    m.get(data);
    skipPadding(m, size);
    return new Sub(tag, data);
  }

  private static void skipPadding(ByteBuffer b, int size) {
    int pad = (8 - size % 8) % 8;
    b.position(Math.min(b.limit(), b.position() + pad));
  }

  private static int[] toInts(Sub s, ByteOrder order, String source) {
    if (s.type != MI_INT32 && s.type != MI_UINT32) {
      throw new VaeException(source + ": a MAT-file matrix has dimensions of type " + s.type);
    }
    int[] out = new int[s.data.length / 4];
    ByteBuffer.wrap(s.data).order(order).asIntBuffer().get(out);
    return out;
  }

  private static byte[] inflate(byte[] data, String source) {
    Inflater inflater = new Inflater();
    inflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
    byte[] buffer = new byte[1 << 16];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new VaeException(source + " has a truncated compressed element");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new VaeException(source + " has a corrupt compressed element: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
