package org.vae4j.internal.train;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * A TensorBoard event file: a TFRecord stream of {@code Event} protos, the first one naming the file version.
 *
 * <p>A TFRecord is: the data length as a little-endian uint64, the masked CRC-32C of those 8 bytes, the data, and
 * the masked CRC-32C of the data. Records are appended and flushed one by one, so TensorBoard can read a run while
 * it trains; a crash can leave at most a truncated last record, which TensorBoard skips.
 */
public final class EventFile implements Closeable {
  private static final int MASK_DELTA = 0xa282ead8;
  private final OutputStream out;
  private final Path path;

  private EventFile(Path path) throws IOException {
    this.path = path;
    out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    write(Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2").build());
  }

  /** A new event file in {@code dir}, named as TensorBoard expects ({@code events.out.tfevents.<time>.<host>}). */
  public static EventFile create(Path dir) throws IOException {
    Files.createDirectories(dir);
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    String base = "events.out.tfevents." + (System.currentTimeMillis() / 1000) + "." + host + ".vae4j";
    Path file = dir.resolve(base);
    // a resumed run may start within the same second as its first part: never overwrite an event file
    for (int i = 1; Files.exists(file); i++) {
      file = dir.resolve(base + "." + i);
    }
    return new EventFile(file);
  }

  public Path path() {
    return path;
  }

  /** Scalars at a step, one summary value per entry, tags such as {@code test/elbo}. */
  public void scalars(long step, Map<String, Double> values) throws IOException {
    Summary.Builder summary = Summary.newBuilder();
    values.forEach((tag, v) -> summary.addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(
        v.floatValue())));
    write(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build());
  }

  /** A PNG image at a step. */
  public void image(long step, String tag, byte[] png, int height, int width) throws IOException {
    Summary.Image image = Summary.Image.newBuilder().setHeight(height).setWidth(width).setColorspace(3)
        .setEncodedImageString(ByteString.copyFrom(png)).build();
    write(Event.newBuilder().setWallTime(now()).setStep(step)
        .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setImage(image))).build());
  }

  private void write(Event event) throws IOException {
    byte[] data = event.toByteArray();
    byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.write(length);
    out.write(intLe(maskedCrc(length)));
    out.write(data);
    out.write(intLe(maskedCrc(data)));
    out.flush();
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static byte[] intLe(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  /** TFRecord's masked CRC-32C: rotate right by 15 bits and add a constant. */
  static int maskedCrc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /**
   * Reads every event of a file, checking each record's framing and both checksums.
   *
   * @throws IOException naming the record that is truncated or corrupt
   */
  public static List<Event> read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      while (true) {
        byte[] length = new byte[8];
        int first = in.read(length, 0, 8);
        if (first == -1) {
          return events;
        }
        try {
          if (first < 8) {
            in.readFully(length, first, 8 - first);
          }
          int lengthCrc = Integer.reverseBytes(in.readInt());
          if (lengthCrc != maskedCrc(length)) {
            throw new IOException(file + ": record " + events.size() + " has a bad length checksum");
          }
          long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
          if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IOException(file + ": record " + events.size() + " declares " + n + " bytes");
          }
          byte[] data = in.readNBytes((int) n);
          if (data.length < n) {
            throw new EOFException();
          }
          int dataCrc = Integer.reverseBytes(in.readInt());
          if (dataCrc != maskedCrc(data)) {
            throw new IOException(file + ": record " + events.size() + " has a bad data checksum");
          }
          events.add(Event.parseFrom(data));
        } catch (EOFException e) {
          throw new IOException(file + ": record " + events.size() + " is truncated", e);
        } catch (InvalidProtocolBufferException e) {
          throw new IOException(file + ": record " + events.size() + " is not an Event proto", e);
        }
      }
    }
  }
}
