package org.vae4j.internal.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.vae4j.VaeException;

/**
 * Reading a small file that someone else wrote (a model card, a kept evaluation) without trusting what it is: only a
 * regular file is opened (a named pipe would block the reader forever, a device such as {@code /dev/zero} never
 * ends), a symbolic link is followed only when its real path stays inside the folder the file belongs to, and the
 * size is checked before reading and enforced while reading, so a file swapped after the check still cannot make
 * the reader take more than the limit.
 */
public final class SafeFiles {
  private SafeFiles() {}

  /**
   * The bytes of {@code file}, a regular file inside {@code root} of at most {@code maxBytes} bytes.
   *
   * @param what what the file is, for messages ("model card")
   * @throws NoSuchFileException when the file (or a folder on its way) does not exist, for the caller to explain
   * @throws VaeException in one sentence naming the file when it is no regular file, leads outside {@code root},
   *     is larger than {@code maxBytes} or cannot be read
   */
  public static byte[] readRegular(Path file, Path root, long maxBytes, String what) throws NoSuchFileException {
    Path real = checked(file, root, what);
    try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = channel.size();
      if (size > maxBytes) {
        throw tooLarge(file, size + " bytes", maxBytes, what);
      }
      // at most one byte more than allowed, whatever the size said: the file may grow or be swapped meanwhile
      InputStream in = Channels.newInputStream(channel);
      byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maxBytes) {
        throw tooLarge(file, "more than " + maxBytes + " bytes", maxBytes, what);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new VaeException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The text of {@code file} as strict UTF-8, read as {@link #readRegular} does.
   *
   * @throws VaeException also when the bytes are not UTF-8
   */
  public static String readUtf8(Path file, Path root, long maxBytes, String what) throws NoSuchFileException {
    byte[] bytes = readRegular(file, root, maxBytes, what);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new VaeException(file + " is not a valid " + what + ": it is not UTF-8 text", e);
    }
  }

  /**
   * Refuses, in one sentence, a folder inside {@code root} that is a symbolic link or not a folder; a missing one
   * is fine. Checked before anything is written into it or deleted from it.
   */
  public static void checkOwnFolder(Path folder, Path root, String what) {
    Path abs = folder.toAbsolutePath().normalize();
    Path base = root.toAbsolutePath().normalize();
    for (Path p = abs; p != null && p.startsWith(base) && !p.equals(base); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new VaeException(p + " is a symbolic link; vae4j keeps the " + what + " only in a real folder inside "
            + base + ", never where a link leads");
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new VaeException(p + " is not a folder; vae4j keeps the " + what + " in a folder there");
      }
    }
  }

  /** The file's real path, once it is known to be a regular file inside {@code root}. */
  private static Path checked(Path file, Path root, String what) throws NoSuchFileException {
    BasicFileAttributes own;
    try {
      own = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new VaeException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
    Path real;
    Path realRoot;
    try {
      real = file.toRealPath();
      realRoot = root.toRealPath();
    } catch (NoSuchFileException e) {
      if (own.isSymbolicLink()) {
        throw new VaeException(file + " is a symbolic link to nothing; " + a(what) + " must be a regular file");
      }
      throw e;
    } catch (IOException e) {
      throw new VaeException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
    if (!real.startsWith(realRoot)) {
      throw new VaeException(file + " leads to " + real + ", outside " + realRoot + "; vae4j reads " + a(what)
          + " only from inside the model's folder");
    }
    BasicFileAttributes target;
    try {
      target = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new VaeException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
    if (!target.isRegularFile()) {
      throw new VaeException(file + " is " + kind(real, target) + ", not a regular file; vae4j reads " + a(what)
          + " only from a regular file");
    }
    return real;
  }

  /** What a file that is no regular file is, in words. */
  private static String kind(Path real, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a folder";
    }
    try {
      int type = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
      return switch (type) {
        case 0010000 -> "a named pipe (FIFO)";
        case 0140000 -> "a socket";
        case 0020000, 0060000 -> "a device";
        default -> "a named pipe, socket or device";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return "a named pipe, socket or device"; // a file system without unix attributes: say less
    }
  }

  private static VaeException tooLarge(Path file, String size, long maxBytes, String what) {
    return new VaeException(file + " is " + size + "; " + a(what) + " is at most " + maxBytes + " bytes");
  }

  /** "a model card", "an evaluation". */
  private static String a(String what) {
    return ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what;
  }
}
