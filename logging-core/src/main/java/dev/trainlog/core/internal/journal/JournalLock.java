package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lock a process holds on a journal directory while it uses it, and the PID it leaves beside
 * it. The operating system frees the lock when the process dies however it dies, so a free lock on a
 * directory with data means its process is gone.
 */
final class JournalLock implements AutoCloseable {

  private static final String LOCK_FILE = "journal.lock";
  private static final String HOLDER_FILE = "journal.holder";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private JournalLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of {@code dir} (created on demand), or returns null when a live process holds it. */
  static JournalLock tryTake(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      JournalLock made = makeLocked(dir);
      if (made != null) {
        return made;
      }
      // another process made it meanwhile: its lock decides, as for any journal that is there
    }
    return lock(dir, FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE));
  }

  /** Locks {@code ch}, the lock file of {@code dir}, and writes this process's PID beside it; null when held or gone. */
  private static JournalLock lock(Path dir, FileChannel ch) throws IOException {
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null || !Files.exists(dir.resolve(LOCK_FILE))) {
      release(ch, lock); // held by a live process, or deleted between the open and the lock: the journal is going
      return null;
    }
    Files.writeString(dir.resolve(HOLDER_FILE), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
    return new JournalLock(dir, ch, lock);
  }

  /**
   * Makes {@code dir} already locked: made under a hidden name, locked, then renamed, so that no other process
   * ever sees it unlocked. (Made in place, another process starting at the same moment on the same journal-dir
   * could lock it first, as a journal left by a process that is gone, and this one failed to start, "in use".)
   * Null when {@code dir} appeared meanwhile.
   */
  private static JournalLock makeLocked(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().normalize().getParent();
    Files.createDirectories(parent);
    // made as any directory (the umask's permissions, not a temporary directory's owner-only ones)
    Path making = Files.createDirectory(parent.resolve("." + dir.getFileName() + "."
        + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())));
    FileChannel ch = FileChannel.open(making.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = null;
    try {
      lock = ch.tryLock(); // a hidden directory of its own: no one else takes it
      if (lock != null) {
        Files.writeString(making.resolve(HOLDER_FILE), Long.toString(ProcessHandle.current().pid()),
            StandardCharsets.UTF_8);
        Files.move(making, dir, StandardCopyOption.ATOMIC_MOVE);
        return new JournalLock(dir, ch, lock);
      }
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      // made by another process meanwhile
    } catch (IOException | RuntimeException e) {
      release(ch, lock);
      deleteMaking(making);
      throw e;
    }
    release(ch, lock);
    deleteMaking(making);
    return null;
  }

  private static void release(FileChannel ch, FileLock lock) throws IOException {
    try {
      if (lock != null) {
        lock.release();
      }
    } finally {
      ch.close();
    }
  }

  private static void deleteMaking(Path making) throws IOException {
    Files.deleteIfExists(making.resolve(HOLDER_FILE));
    Files.deleteIfExists(making.resolve(LOCK_FILE));
    Files.deleteIfExists(making);
  }

  /**
   * Takes the lock of the journal {@code dir} an earlier process left, or null when a live process holds it or it is
   * gone: its lock file is not made again (a process deleting a delivered journal deletes that file first).
   */
  static JournalLock tryTakeExisting(Path dir) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.WRITE);
    } catch (java.nio.file.NoSuchFileException gone) {
      return null;
    }
    return lock(dir, ch);
  }

  /** The journal directories directly under {@code root}, oldest first (not one being made: hidden). */
  static List<Path> journalsUnder(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
          .filter(JournalLock::isJournal)
          .sorted(Comparator.comparing(JournalLock::modified).thenComparing(Path::toString)).toList();
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Whether {@code dir} holds a journal lock file (it is, or was, a journal). */
  static boolean isJournal(Path dir) {
    return Files.isRegularFile(dir.resolve(LOCK_FILE));
  }

  /** The PID written by the process that holds (or last held) {@code dir}, or "unknown". */
  static String holder(Path dir) {
    try {
      return Files.readString(dir.resolve(HOLDER_FILE), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Deletes the lock file, still held: a journal being deleted is no journal to a process that looks from now on. */
  void deleteFile() throws IOException {
    Files.deleteIfExists(dir.resolve(LOCK_FILE));
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
