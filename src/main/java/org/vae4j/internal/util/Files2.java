package org.vae4j.internal.util;

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
   * Creates {@code dir} and its missing parents; a folder it creates itself is readable by its owner only (on file
   * systems with POSIX permissions), for caches of data that other users need not see.
   */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
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

  /**
   * Deletes the leftovers of interrupted writes in {@code dir} (hidden {@code .NAME.tmp-HEX} entries made by
   * {@link #siblingTemp}) except those {@code keep} accepts. Only safe while no other writer works in
   * {@code dir}, for example under a {@link FolderLock}.
   */
  public static void deleteLeftovers(Path dir, java.util.function.Predicate<Path> keep) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> children = Files.list(dir)) {
      for (Path p : children.toList()) {
        if (p.getFileName().toString().matches("\\..+\\.tmp-[0-9a-f]+") && !keep.test(p)) {
          deleteQuietly(p);
        }
      }
    } catch (IOException e) {
      // leftovers only take space; the next cleanup tries again
    }
  }

  /** The name a {@link #siblingTemp} leftover was meant to take ({@code .NAME.tmp-HEX} to NAME). */
  public static String leftoverTarget(Path leftover) {
    String name = leftover.getFileName().toString();
    return name.substring(1, name.lastIndexOf(".tmp-"));
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
