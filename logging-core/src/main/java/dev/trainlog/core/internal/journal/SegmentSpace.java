package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk blocks for segment files, allocated before a segment is mapped. A mapped page of a sparse file
 * gets its block only when first written, and on a full device that write is a SIGBUS that surfaces as
 * an asynchronous error in whatever the training thread runs next; written zeros make a full device an
 * {@link IOException} at the roll instead. The next segment's file is written ahead on a background
 * thread ({@value #SPARE}), so a roll only renames it.
 */
final class SegmentSpace {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  /** The file reserved for the next segment; not a segment name, so a recovery deletes a stale one. */
  static final String SPARE = "next-segment.spare";
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

  private final Path dir;
  private final Path spare;
  // guarded by this
  private Thread writer;
  private int spareSize;
  private IOException failure;
  private boolean closed;

  SegmentSpace(Path dir) throws IOException {
    this.dir = dir;
    this.spare = dir.resolve(SPARE);
    Files.deleteIfExists(spare); // left by a process that is gone
  }

  /** Writes {@code size} zero bytes to the new file {@code path}; on failure (a full device) nothing is left. */
  static void reserve(Path path, int size) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long at = 0;
      while (at < size) {
        ByteBuffer zeros = ZEROS.duplicate();
        zeros.limit((int) Math.min(zeros.capacity(), size - at));
        while (zeros.hasRemaining()) {
          at += ch.write(zeros, at);
        }
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /** Starts writing a spare of {@code size} bytes on a background thread, unless one is there or under way. */
  synchronized void reserveAhead(int size) {
    if (closed || writer != null || spareSize == size) {
      return;
    }
    discardSpare();
    Thread t = new Thread(() -> write(size), "trainlog-journal-space");
    t.setDaemon(true);
    writer = t;
    t.start();
  }

  /** Waits for the spare being written, if any: a journal opened for appends has its first segment's blocks before the first append. */
  synchronized void awaitSpare() {
    boolean interrupted = false;
    while (writer != null) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(int size) {
    IOException failed = null;
    try {
      reserve(spare, size);
    } catch (IOException e) {
      failed = e;
    }
    synchronized (this) {
      writer = null;
      if (failed == null && !closed) {
        spareSize = size;
      } else {
        failure = failed;
        if (closed) {
          discardSpare();
        }
      }
      notifyAll();
    }
  }

  /**
   * Gives {@code target} {@code size} reserved bytes: the spare renamed when it has that size (waiting for
   * one being written), else written now. Throws when the device has no room.
   */
  synchronized void takeInto(Path target, int size) throws IOException {
    while (writer != null) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reserving " + target);
      }
    }
    if (spareSize == size) {
      spareSize = 0;
      Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    if (failure != null) {
      log.debug("The spare segment of {} could not be written ({}); trying again for {}", dir, failure, target);
      failure = null;
    }
    discardSpare();
    reserve(target, size); // space may have come back since the spare failed
  }

  /** Stops reserving and deletes the spare, after the write under way if any: the journal is closing. */
  synchronized void close() {
    closed = true;
    awaitSpare();
    discardSpare();
  }

  private void discardSpare() {
    spareSize = 0;
    try {
      Files.deleteIfExists(spare);
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", spare, e.toString());
    }
  }
}
