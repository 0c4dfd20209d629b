package org.vae4j.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writing files so that a reader, or a crash, never sees half of one: everything is written under a temporary
 * name in the same folder and renamed into place.
 */
public final class Files2 {
  private Files2() {}

  /** A fresh hidden name next to {@code target}, on the same file system so a rename is atomic. */
  public static Path siblingTemp(Path target) {
    Path abs = target.toAbsolutePath();
    String name = "." + abs.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    return abs.resolveSibling(name);
  }

  /**
   * Writes {@code bytes} to a temporary sibling, forces it to disk, and renames it over {@code target}. Failures
   * name {@code target}, not the temporary file.
   */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    if (Files.isDirectory(target)) {
      throw new FileSystemException(target.toString(), null, "is a folder, not a file");
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = siblingTemp(target);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      move(tmp, target, true);
    } catch (FileSystemException e) {
      throw new FileSystemException(target.toString(), null,
          e.getReason() == null ? e.getClass().getSimpleName() : e.getReason());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Puts the finished folder {@code fresh} at {@code target}. An existing {@code target} is moved aside first and
   * deleted only after {@code fresh} is in place, so some complete version exists at every moment.
   */
  public static void replaceDirectory(Path fresh, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = siblingTemp(target);
      move(target, old, false);
    }
    move(fresh, target, false);
    if (old != null) {
      deleteRecursively(old);
    }
  }

  /** Renames, atomically where the file system allows it. */
  public static void move(Path from, Path to, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      if (replace) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to);
      }
    }
  }

  /** Deletes a file or a folder tree; a missing path is fine. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes quietly, for clean-up on an error path that is already reporting another failure. */
  public static void deleteQuietly(Path path) {
    try {
      deleteRecursively(path);
    } catch (IOException | RuntimeException ignored) {
      // the original failure is the one worth reporting
    }
  }

  /** Total size in bytes of the regular files under {@code path}. */
  public static long size(Path path) throws IOException {
    try (var files = Files.walk(path)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }
}
