package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private final FileChannel channel;
  private final FileLock lock;

  private JournalLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of {@code dir} (created on demand), or returns null when a live process holds it. */
  static JournalLock tryTake(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      return null;
    }
    Files.writeString(dir.resolve(HOLDER_FILE), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
    return new JournalLock(ch, lock);
  }

  /** The journal directories directly under {@code root}, oldest first. */
  static List<Path> journalsUnder(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).filter(JournalLock::isJournal)
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

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
