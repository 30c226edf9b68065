package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file the next blob is copied into, made ahead off the training thread: its blocks written with
 * zeros (a full device is an {@link IOException} here, never a SIGBUS on the caller), then mapped and
 * touched, so that storing an image about the size of the last one is a copy into pages already in
 * the page cache, a truncate and a rename. Those pages are the file's, so a kill -9 after the copy loses
 * nothing a {@code write()} would have kept.
 */
final class BlobSpares {

  private static final Logger log = LoggerFactory.getLogger(BlobSpares.class);
  /** The suffix of a spare's name: not a content id, so a sweep leaves it and {@link #deleteStale} removes it. */
  static final String SUFFIX = ".spare";
  /** Room above the last blob's size, for a next image a little larger than it. */
  static final int SLACK = 16 << 10;
  private static final int PAGE = 4096;

  private final Path dir;
  private final AtomicReference<Spare> ready = new AtomicReference<>();
  private final AtomicLong names = new AtomicLong();
  private final ThreadPoolExecutor maker;
  private volatile boolean closed;

  BlobSpares(Path dir) {
    this.dir = dir;
    // one thread, gone after a minute without images, so a journal without images never starts it
    this.maker = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "trainlog-blob-spare");
      t.setDaemon(true);
      return t;
    });
    maker.allowCoreThreadTimeOut(true);
  }

  /** Deletes spares a process that is gone left in {@code dir}. */
  static void deleteStale(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().endsWith(SUFFIX)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * A spare made ahead with room for {@code length} bytes, or null when there is none (the caller writes
   * the file itself); either way the next one, sized for {@code length}, is made in the background.
   */
  Spare take(int length) {
    Spare spare = ready.getAndSet(null);
    Spare tooSmall = null;
    if (spare != null && spare.capacity() < length) {
      tooSmall = spare;
      spare = null;
    }
    makeAhead(capacityFor(length), tooSmall);
    return spare;
  }

  /** Whether a spare is made and waiting (for tests that need the spare path taken). */
  boolean ready() {
    return ready.get() != null;
  }

  /** After a spare was used: its mapping is let go in the background, where an unmap costs the caller nothing. */
  void used(Spare spare) {
    inBackground(spare::unmap);
  }

  /** Stops making spares and deletes the one made, after the one under way. */
  void close() {
    closed = true;
    maker.shutdown();
    try {
      if (!maker.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("The blob spare of {} was still being made after 10 s", dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Spare left = ready.getAndSet(null);
    if (left != null) {
      left.discard();
    }
  }

  static int capacityFor(int length) {
    long c = ((long) length + SLACK + PAGE - 1) / PAGE * PAGE;
    return (int) Math.min(c, Integer.MAX_VALUE - PAGE);
  }

  private void makeAhead(int capacity, Spare stale) {
    if (closed) {
      if (stale != null) {
        stale.discard();
      }
      return;
    }
    inBackground(() -> {
      if (stale != null) {
        stale.discard();
      }
      Spare there = ready.get();
      if (closed || there != null && there.capacity() >= capacity) {
        return; // several takes in a row: one spare is enough
      }
      try {
        Spare made = make(capacity);
        Spare old = ready.getAndSet(made);
        if (old != null) {
          old.discard();
        }
      } catch (IOException | RuntimeException e) {
        log.debug("No spare blob file in {} ({}); the next blob is written by the caller", dir, e.toString());
      }
    });
  }

  /** Runs {@code task} on the maker thread, or here once the maker is shut down. */
  private void inBackground(Runnable task) {
    try {
      maker.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // closed meanwhile
    }
  }

  private Spare make(int capacity) throws IOException {
    Files.createDirectories(dir);
    Path path = dir.resolve("next-" + names.incrementAndGet() + SUFFIX);
    SegmentSpace.reserve(path, capacity);
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
      for (int at = 0; at < capacity; at += PAGE) {
        map.put(at, (byte) 0); // a writable mapping of each page now, not a fault per page on the caller
      }
      return new Spare(path, ch, map, capacity);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /** One spare file, mapped whole. */
  static final class Spare {
    private final Path path;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final int capacity;

    Spare(Path path, FileChannel channel, MappedByteBuffer map, int capacity) {
      this.path = path;
      this.channel = channel;
      this.map = map;
      this.capacity = capacity;
    }

    int capacity() {
      return capacity;
    }

    /** Copies {@code data} in and cuts the file to its length; the caller renames {@link #path} into place. */
    Path fill(byte[] data) throws IOException {
      map.put(0, data);
      try (FileChannel ch = channel) {
        ch.truncate(data.length);
      }
      return path;
    }

    void unmap() {
      Unmapper.unmap(map);
    }

    void discard() {
      unmap();
      try {
        channel.close();
        Files.deleteIfExists(path);
      } catch (IOException e) {
        log.debug("Could not delete the spare blob file {}: {}", path, e.toString());
      }
    }
  }
}
