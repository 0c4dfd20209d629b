package org.vae4j.internal.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.vae4j.VaeException;

/**
 * One writer per folder: an exclusive lock on {@code <folder>/.vae4j.lock}, held while a process trains into a run
 * folder or exports from it. The operating system releases it when the process dies, so a killed run never
 * leaves a stale lock; while it is held, leftovers of interrupted writes in the folder are known to be stale.
 */
public final class FolderLock implements AutoCloseable {
  public static final String FILE = ".vae4j.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code folder} (created if needed) or says who holds it.
   *
   * @param doing what the caller is about to do, for the message
   * @throws VaeException when another process (or another thread of this one) holds the lock
   */
  public static FolderLock acquire(Path folder, String doing) {
    FileChannel channel = null;
    try {
      Files.createDirectories(folder);
      channel = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new VaeException("another vae4j process is using " + folder + "; wait for it to finish before "
            + doing);
      }
      return new FolderLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new VaeException("cannot lock " + folder + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing held yet
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the channel either way
    }
  }
}
