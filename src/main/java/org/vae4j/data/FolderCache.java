package org.vae4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.VaeException;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;

/**
 * A picture folder decoded once into one file that later reads map into memory. The file is named after the
 * folder and the reading options; inside, a header records a digest of every picture's path, size and
 * modification time, so a changed folder is decoded again (over the old file). Layout: the 8 bytes
 * {@code VAE4JPIX}, a 4-byte little-endian header length, the header (JSON), zeros to {@link #ALIGN}, the pixels
 * (training images, then test images), then the labels as little-endian int32 when the folder has labels. The
 * file is written under a temporary name and renamed into place, so a reader never sees half of one. A cache file
 * is read as hostile: anything that does not add up (magic, header, sizes, labels in range) means "decode again",
 * and no file makes a read go outside it. The key is no secret, though: whoever can write the cache folder can
 * change the pictures, as whoever can write the picture folder can, so the folder is made readable by its owner
 * only.
 */
final class FolderCache {
  static final String SUFFIX = ".vae4j-pixels";
  static final int ALIGN = 4096;
  private static final byte[] MAGIC = "VAE4JPIX".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT = 1;
  /** Header room besides the label names: the fixed fields and the skipped files' names. */
  private static final int HEADER_ROOM = 1 << 20;
  /** The longest header a reader accepts. */
  private static final int MAX_HEADER = 256 << 20;
  /** Skipped files named in the header, and the most characters of their names; the count is always kept. */
  private static final int MAX_SKIPPED_NAMES = 100;
  private static final int MAX_SKIPPED_CHARS = 65_536;
  /** A leftover temporary file of the same cache untouched for this long belongs to a process that is gone. */
  private static final long STALE_MILLIS = 3_600_000L;
  /** A leftover of another cache in the folder is cleared after this long (its decode may still run). */
  private static final long STALE_OTHER_MILLIS = 86_400_000L;

  private FolderCache() {}

  /** What a cache file holds besides its pixels. */
  record Header(String key, int height, int width, int channels, int slots, int train, int test, boolean labelled,
      List<String> labelNames, List<String> skipped, int skippedCount) {}

  /** The cache file of {@code dir} read with {@code options}, in {@code cacheDir}. */
  static Path file(Path cacheDir, Path dir, ImageFolders.Options options) {
    String name = dir.toAbsolutePath().normalize() + "\n" + optionsText(options);
    return cacheDir.resolve(hex(digest(List.of(name))).substring(0, 32) + SUFFIX);
  }

  private static String optionsText(ImageFolders.Options o) {
    return o.channels() + " " + o.height() + "x" + o.width() + " strict=" + o.strict() + " test=" + o.testFraction()
        + " seed=" + o.seed();
  }

  /**
   * The digest of the folder as {@code options} read it: every picture's path (relative to {@code dir}), size and
   * modification time, in the listing's order, with the options, whether it has train/ and test/ subfolders
   * ({@code splits}) and the format.
   */
  static String key(Path dir, ImageFolders.Options options, boolean splits, List<Path> files) {
    List<String> parts = new ArrayList<>(files.size() + 3);
    parts.add("format " + FORMAT);
    parts.add(optionsText(options));
    parts.add("splits " + splits); // an empty test/ beside train/ changes the split, not the file list
    for (Path f : files) {
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        FileTime t = a.lastModifiedTime();
        parts.add(dir.relativize(f) + "\t" + a.size() + "\t" + t.toInstant().getEpochSecond() + "."
            + t.toInstant().getNano());
      } catch (IOException e) {
        parts.add(dir.relativize(f) + "\tunreadable");
      }
    }
    return hex(digest(parts));
  }

  private static byte[] digest(List<String> parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        d.update(p.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A cache file being filled: its pixels are written through {@link #pixels()}, then {@link #commit}. */
  static final class Writer implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final PixelStore pixels;
    private final long pixelsAt;
    private final long slots;
    private final int imageSize;
    private boolean committed;

    private Writer(Path target, long slots, int imageSize, long pixelsAt) throws IOException {
      this.target = target;
      this.slots = slots;
      this.imageSize = imageSize;
      this.pixelsAt = pixelsAt;
      long now = System.currentTimeMillis();
      Files2.deleteLeftovers(target.getParent(), p -> modified(p) > now - (Files2.leftoverTarget(p).equals(
          target.getFileName().toString()) ? STALE_MILLIS : STALE_OTHER_MILLIS));
      this.temp = Files2.siblingTemp(target);
      this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      try {
        // labels follow the pixels: room for them too, so the file never grows after it is mapped
        channel.write(ByteBuffer.wrap(new byte[] {0}), pixelsAt + slots * imageSize + slots * 4L - 1);
        this.pixels = PixelStore.map(channel, pixelsAt, slots, imageSize, FileChannel.MapMode.READ_WRITE,
            PixelStore.CHUNK_BYTES);
      } catch (IOException | RuntimeException e) {
        close(); // a file-size or mapping limit: no half-made file left behind
        throw e;
      }
    }

    private static long modified(Path p) {
      try {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
      } catch (IOException e) {
        return Long.MAX_VALUE;
      }
    }

    /** The slots the decoders write into. */
    PixelStore pixels() {
      return pixels;
    }

    /**
     * Writes {@code labels} (one per kept image, or null) and the header, forces everything to disk and renames
     * the file into place; returns the header as written.
     */
    Header commit(Header header, int[] labels) throws IOException {
      long labelsAt = pixelsAt + slots * imageSize;
      if (labels != null) {
        ByteBuffer b = ByteBuffer.allocate(labels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(labels);
        write(b, labelsAt);
      }
      byte[] json = Json.write(toMap(header, pixelsAt, labelsAt)).getBytes(StandardCharsets.UTF_8);
      if (MAGIC.length + 4L + json.length > pixelsAt) {
        throw new IOException("the cache header would take " + json.length + " bytes");
      }
      ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + json.length).order(ByteOrder.LITTLE_ENDIAN);
      head.put(MAGIC).putInt(json.length).put(json).flip();
      write(head, 0);
      channel.force(true);
      channel.close();
      Files2.move(temp, target, true);
      committed = true;
      return header;
    }

    private void write(ByteBuffer b, long at) throws IOException {
      while (b.hasRemaining()) {
        at += channel.write(b, at);
      }
    }

    @Override
    public void close() {
      if (!committed && temp != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // the temporary file is deleted next
        }
        Files2.deleteQuietly(temp);
      }
    }
  }

  /**
   * Starts a cache file at {@code target} with room for {@code slots} images of {@code imageSize} bytes; null, with
   * a line to {@code log}, when it cannot be written there (no room on the disk, a folder that cannot be written):
   * the caller decodes into the heap instead. The room is checked first because a full disk under a memory-mapped
   * file is a fault of the JVM, not an error a program can catch.
   */
  static Writer create(Path target, long slots, int imageSize, List<String> labelNames,
      java.util.function.Consumer<String> log) {
    // the header's room: the fixed fields and skipped names, and the label names at their longest in JSON
    long names = 0;
    for (String n : labelNames) {
      names += 6L * n.getBytes(StandardCharsets.UTF_8).length + 4;
    }
    long pixelsAt = (HEADER_ROOM + names + ALIGN) / ALIGN * ALIGN;
    long bytes = pixelsAt + slots * (imageSize + 4L);
    try {
      if (pixelsAt > MAX_HEADER) {
        throw new IOException("the " + labelNames.size() + " label names need more than " + (MAX_HEADER >> 20)
            + " MB of header");
      }
      Files2.createPrivateDirectories(target.getParent());
      long free = Files.getFileStore(target.getParent()).getUsableSpace();
      if (free < bytes + (64L << 20)) {
        log.accept(String.format(java.util.Locale.ROOT, "the picture cache needs %,d MB and %s has %,d MB free:"
            + " decoding into memory instead", bytes >> 20, target.getParent(), free >> 20));
        return null;
      }
      return new Writer(target, slots, imageSize, pixelsAt);
    } catch (IOException | RuntimeException e) {
      log.accept("cannot write the picture cache " + target + " (" + e.getMessage() + "): decoding into memory"
          + " instead");
      return null;
    }
  }

  private static Map<String, Object> toMap(Header h, long pixelsAt, long labelsAt) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("key", h.key());
    m.put("height", h.height());
    m.put("width", h.width());
    m.put("channels", h.channels());
    m.put("slots", h.slots());
    m.put("train", h.train());
    m.put("test", h.test());
    m.put("labelled", h.labelled());
    m.put("label_names", h.labelNames());
    List<String> named = new ArrayList<>();
    int chars = 0;
    for (String n : h.skipped()) {
      chars += n.length();
      if (named.size() == MAX_SKIPPED_NAMES || chars > MAX_SKIPPED_CHARS) {
        break;
      }
      named.add(n);
    }
    m.put("skipped", named);
    m.put("skipped_count", h.skippedCount());
    m.put("pixels_at", pixelsAt);
    m.put("labels_at", labelsAt);
    return m;
  }

  /** A cache file that matched: its header and its two splits, mapped. */
  record Hit(Header header, ImageSet train, ImageSet test) {}

  /**
   * Opens {@code file} when it holds the folder whose digest is {@code key}; null when it is missing, stale or
   * does not add up ({@code why} hears the reason, except for a missing file).
   */
  static Hit open(Path file, String key, java.util.function.Consumer<String> why) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
      read(ch, head, 0);
      byte[] magic = new byte[MAGIC.length];
      head.get(magic);
      int length = head.getInt();
      if (!java.util.Arrays.equals(magic, MAGIC) || length < 2 || length > MAX_HEADER
          || length > ch.size() - MAGIC.length - 4) {
        why.accept("it is not a vae4j picture cache");
        return null;
      }
      ByteBuffer json = ByteBuffer.allocate(length);
      read(ch, json, MAGIC.length + 4);
      Map<String, Object> m = Json.parseObject(new String(json.array(), StandardCharsets.UTF_8));
      if (!key.equals(m.get("key"))) {
        why.accept("the folder changed since it was decoded");
        return null;
      }
      Header h = new Header(key, integer(m, "height", 1, 4096), integer(m, "width", 1, 4096),
          integer(m, "channels", 1, 3), integer(m, "slots", 1, Integer.MAX_VALUE),
          integer(m, "train", 1, Integer.MAX_VALUE), integer(m, "test", 1, Integer.MAX_VALUE),
          Boolean.TRUE.equals(m.get("labelled")), strings(m.get("label_names")), strings(m.get("skipped")),
          integer(m, "skipped_count", 0, Integer.MAX_VALUE));
      int size = h.height() * h.width() * h.channels();
      long pixelsAt = number(m, "pixels_at");
      long labelsAt = number(m, "labels_at");
      int kept = h.train() + h.test();
      if (h.train() > h.slots() - h.test() || pixelsAt < MAGIC.length + 4 + length || labelsAt != pixelsAt
          + (long) h.slots() * size || ch.size() != labelsAt + h.slots() * 4L
          || h.labelled() == h.labelNames().isEmpty()) {
        why.accept("its header does not add up");
        return null;
      }
      int[] labels = null;
      if (h.labelled()) {
        ByteBuffer b = ByteBuffer.allocate(kept * 4).order(ByteOrder.LITTLE_ENDIAN);
        read(ch, b, labelsAt);
        labels = new int[kept];
        b.asIntBuffer().get(labels);
        for (int l : labels) {
          if (l < -1 || l >= h.labelNames().size()) {
            why.accept("a label is out of range");
            return null;
          }
        }
      }
      PixelStore store = PixelStore.map(ch, pixelsAt, h.slots(), size, FileChannel.MapMode.READ_ONLY,
          PixelStore.CHUNK_BYTES);
      ImageSet train = new ImageSet(store, 0, labels == null ? null : java.util.Arrays.copyOf(labels, h.train()),
          h.train(), h.height(), h.width(), h.channels());
      ImageSet test = new ImageSet(store, h.train(), labels == null ? null : java.util.Arrays.copyOfRange(labels,
          h.train(), kept), h.test(), h.height(), h.width(), h.channels());
      return new Hit(h, train, test);
    } catch (IOException | RuntimeException e) {
      why.accept("it cannot be read (" + e.getMessage() + ")");
      return null;
    }
  }

  private static void read(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, at);
      if (n < 0) {
        throw new IOException("the file ends early");
      }
      at += n;
    }
    b.flip();
  }

  private static long number(Map<String, Object> m, String field) {
    if (!(m.get(field) instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0) {
      throw new IllegalArgumentException(field + " is not a count");
    }
    return n.longValue();
  }

  private static int integer(Map<String, Object> m, String field, int min, int max) {
    long v = number(m, field);
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " is out of range");
    }
    return (int) v;
  }

  private static List<String> strings(Object o) {
    if (!(o instanceof List<?> list)) {
      throw new IllegalArgumentException("a list of names is missing");
    }
    List<String> out = new ArrayList<>();
    for (Object x : list) {
      if (!(x instanceof String s)) {
        throw new IllegalArgumentException("a name is not a string");
      }
      out.add(s);
    }
    return out;
  }
}
