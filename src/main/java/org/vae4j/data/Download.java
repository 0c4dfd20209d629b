package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.vae4j.VaeException;
import org.vae4j.internal.util.Files2;

/**
 * Fetches one file over HTTP(S) into place, verified: bytes go to {@code <target>.part}, an interrupted transfer
 * resumes from where it stopped (an HTTP Range request), and only a file whose size and SHA-256 match is renamed to
 * {@code target}. A mismatch deletes the partial file and says so; nothing unverified is ever used.
 */
public final class Download {
  /** Hears how a transfer goes. */
  @FunctionalInterface
  public interface Listener {
    /** {@code done} of {@code total} bytes of {@code name} are on disk. */
    void progress(String name, long done, long total);
  }

  private final Duration timeout;
  private final int attempts;
  private final Listener listener;

  /**
   * @param timeout how long a connection or a silent transfer may take before the attempt fails
   * @param attempts tries per file; each one resumes what the previous one left
   */
  public Download(Duration timeout, int attempts, Listener listener) {
    this.timeout = timeout;
    this.attempts = Math.max(1, attempts);
    this.listener = listener == null ? (n, d, t) -> { } : listener;
  }

  /** The partial file of a target. */
  public static Path partial(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  /**
   * Makes {@code target} hold the file at {@code url} of {@code size} bytes (0: unknown) with SHA-256
   * {@code sha256}.
   *
   * @throws VaeException when every attempt failed or the bytes do not match; the message says what happened
   */
  public void fetch(URI url, long size, String sha256, Path target) {
    Path part = partial(target);
    IOException last = null;
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lock(channel)) {
        if (lock == null) {
          throw new VaeException("another process is downloading " + target.getFileName() + " into "
              + target.toAbsolutePath().getParent() + "; wait for it to finish");
        }
        for (int attempt = 1; attempt <= attempts; attempt++) {
          try {
            transfer(url, size, channel, target.getFileName().toString());
            last = null;
            break;
          } catch (IOException e) {
            last = e;
          }
        }
        if (last != null) {
          throw new VaeException("cannot download " + url + " after " + attempts + " attempts (" + describe(last)
              + "); " + channel.size() + " bytes are kept in " + part + " and the next run resumes from there",
              last);
        }
        verify(url, size, sha256, part);
        Files2.move(part, target, true);
      }
    } catch (IOException e) {
      throw new VaeException("cannot write " + part + ": " + e.getMessage(), e);
    }
  }

  /** The partial file's lock, or null when another process (or another thread of this one) holds it. */
  private static FileLock lock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** One attempt: appends to the partial file from its current length, following up to 5 redirects. */
  private void transfer(URI url, long size, FileChannel part, String name) throws IOException {
    long have = part.size();
    if (size > 0 && have >= size) {
      return;
    }
    URI at = url;
    for (int hop = 0; ; hop++) {
      HttpURLConnection c = (HttpURLConnection) at.toURL().openConnection();
      // redirects by hand: the JDK does not follow one from http to https, which download hosts commonly send
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout((int) timeout.toMillis());
      c.setReadTimeout((int) timeout.toMillis());
      c.setRequestProperty("User-Agent", "vae4j");
      if (have > 0) {
        c.setRequestProperty("Range", "bytes=" + have + "-");
      }
      try {
        int status = c.getResponseCode();
        if (status / 100 == 3 && status != HttpURLConnection.HTTP_NOT_MODIFIED) {
          String location = c.getHeaderField("Location");
          if (location == null || hop == 5) {
            throw new IOException(location == null ? "HTTP " + status + " without a Location"
                : "more than 5 redirects");
          }
          at = at.resolve(location);
          continue;
        }
        boolean append;
        if (status == HttpURLConnection.HTTP_PARTIAL && have > 0) {
          long start = rangeStart(c.getHeaderField("Content-Range"));
          if (start != have) {
            part.truncate(0); // an answer for other bytes than asked: appending would corrupt the file
            throw new IOException("the server resumed at byte " + start + " instead of " + have);
          }
          append = true;
        } else if (status == HttpURLConnection.HTTP_OK) {
          append = false; // the server ignored the range: start again
          have = 0;
        } else if (status == 416 && have > 0) {
          return; // nothing left to send: the partial file is complete (verification decides)
        } else {
          throw new IOException("the server answered HTTP " + status);
        }
        if (!append) {
          part.truncate(0);
        }
        part.position(have);
        long total = size > 0 ? size : (c.getContentLengthLong() < 0 ? -1 : have + c.getContentLengthLong());
        try (InputStream in = c.getInputStream()) {
          byte[] buffer = new byte[1 << 16];
          long done = have;
          for (int n; (n = in.read(buffer)) > 0; ) {
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
              part.write(chunk);
            }
            done += n;
            listener.progress(name, done, total);
          }
          if (total > 0 && done < total) {
            throw new IOException("the connection closed after " + done + " of " + total + " bytes");
          }
        }
        return;
      } finally {
        c.disconnect();
      }
    }
  }

  /** The first byte of a {@code Content-Range: bytes START-END/TOTAL} header; -1 when absent or malformed. */
  static long rangeStart(String header) {
    if (header == null || !header.startsWith("bytes ")) {
      return -1;
    }
    int dash = header.indexOf('-');
    try {
      return dash < 0 ? -1 : Long.parseLong(header.substring(6, dash).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void verify(URI url, long size, String sha256, Path part) throws IOException {
    long actualSize = Files.size(part);
    String actual = sha256(part);
    if ((size > 0 && actualSize != size) || !actual.equalsIgnoreCase(sha256)) {
      Files.deleteIfExists(part);
      throw new VaeException("the download of " + url + " is corrupt (" + actualSize + " bytes, SHA-256 " + actual
          + "; expected " + (size > 0 ? size + " bytes, " : "") + "SHA-256 " + sha256 + "); the partial file was"
          + " deleted, run again to download it anew");
    }
  }

  /** A file's SHA-256 in lower-case hex. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = IdxFile.sha256();
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new VaeException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private String describe(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return "no data for " + timeout.toSeconds() + " s";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
