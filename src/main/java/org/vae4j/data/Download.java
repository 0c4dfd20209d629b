package org.vae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.vae4j.VaeException;
import org.vae4j.util.Files2;

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
      for (int attempt = 1; attempt <= attempts; attempt++) {
        try {
          transfer(url, size, part, target.getFileName().toString());
          last = null;
          break;
        } catch (IOException e) {
          last = e;
        }
      }
      if (last != null) {
        long have = Files.exists(part) ? Files.size(part) : 0;
        throw new VaeException("cannot download " + url + " after " + attempts + " attempts (" + describe(last)
            + "); " + have + " bytes are kept in " + part + " and the next run resumes from there", last);
      }
      verify(url, size, sha256, part);
      Files2.move(part, target, true);
    } catch (IOException e) {
      throw new VaeException("cannot write " + part + ": " + e.getMessage(), e);
    }
  }

  /** One attempt: appends to the partial file from its current length. */
  private void transfer(URI url, long size, Path part, String name) throws IOException {
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (size > 0 && have >= size) {
      return;
    }
    HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
    c.setConnectTimeout((int) timeout.toMillis());
    c.setReadTimeout((int) timeout.toMillis());
    c.setRequestProperty("User-Agent", "vae4j");
    if (have > 0) {
      c.setRequestProperty("Range", "bytes=" + have + "-");
    }
    try {
      int status = c.getResponseCode();
      boolean append;
      if (status == HttpURLConnection.HTTP_PARTIAL && have > 0) {
        append = true;
      } else if (status == HttpURLConnection.HTTP_OK) {
        append = false; // the server ignored the range: start again
        have = 0;
      } else if (status == 416 && have > 0) {
        return; // nothing left to send: the partial file is complete (verification decides)
      } else {
        throw new IOException("the server answered HTTP " + status);
      }
      long total = size > 0 ? size : (c.getContentLengthLong() < 0 ? -1 : have + c.getContentLengthLong());
      try (InputStream in = c.getInputStream();
          OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buffer = new byte[1 << 16];
        long done = have;
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          done += n;
          listener.progress(name, done, total);
        }
        if (total > 0 && done < total) {
          throw new IOException("the connection closed after " + done + " of " + total + " bytes");
        }
      }
    } finally {
      c.disconnect();
    }
  }

  private static void verify(URI url, long size, String sha256, Path part) throws IOException {
    long actualSize = Files.size(part);
    String actual;
    try (InputStream in = Files.newInputStream(part)) {
      MessageDigest digest = IdxFile.sha256();
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      actual = HexFormat.of().formatHex(digest.digest());
    }
    if ((size > 0 && actualSize != size) || !actual.equalsIgnoreCase(sha256)) {
      Files.deleteIfExists(part);
      throw new VaeException("the download of " + url + " is corrupt (" + actualSize + " bytes, SHA-256 " + actual
          + "; expected " + (size > 0 ? size + " bytes, " : "") + "SHA-256 " + sha256 + "); the partial file was"
          + " deleted, run again to download it anew");
    }
  }

  private String describe(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return "no data for " + timeout.toSeconds() + " s";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
