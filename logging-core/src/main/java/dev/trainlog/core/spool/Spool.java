package dev.trainlog.core.spool;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;

/**
 * A first-in first-out queue of records on disk, one per backend channel: what the channel cannot
 * hold in memory or deliver before close waits here and is replayed in order. Segments left by an
 * earlier process in the same directory are read first. All methods are thread-safe.
 */
public final class Spool implements Closeable {

  /** Records per segment file before a new one is started: {@value}. Bounds replay memory. */
  public static final int SEGMENT_RECORDS = 4096;

  private static final long FIRST_SEGMENT = 1_000_000_000L;
  /** Gap between the numbers of consecutive segments, leaving room to insert segments between them. */
  private static final long SPACING = 1000;
  private static final String LOCK_FILE = "spool.lock";
  private static final java.util.regex.Pattern SEGMENT_NAME = java.util.regex.Pattern.compile("seg-\\d{19}\\.spool");

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  /** Sealed segments not yet fully delivered, by number. */
  private final TreeMap<Long, Path> sealed = new TreeMap<>();
  /** How many records each segment was written with, to notice records lost to damage. */
  private final java.util.Map<Path, Integer> written = new java.util.HashMap<>();
  private final Deque<LogRecord> readAhead = new ArrayDeque<>();
  private final List<Path> consumedSinceAck = new ArrayList<>();
  private SegmentFile.Writer writer;
  private long writerNumber;
  private long nextNumber;
  private long pending;
  private long unacked;
  /** The segment whose head was delivered while its tail was not, and how many of it to skip. */
  private Path partial;
  private int partialSkip;
  private int lastLoadedTotal;
  private boolean dirty;
  private boolean closed;

  private Spool(Path dir, FileChannel lockChannel, FileLock lock) throws IOException {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    long max = FIRST_SEGMENT;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "seg-*.spool")) {
      for (Path p : files) {
        if (!SEGMENT_NAME.matcher(p.getFileName().toString()).matches()) {
          continue; // not one of ours (a copy, an editor's backup): left alone
        }
        long n = segmentNumber(p);
        sealed.put(n, p);
        max = Math.max(max, n);
        int count = SegmentFile.readAll(p).size();
        written.put(p, count);
        pending += count;
      }
    }
    this.nextNumber = max + SPACING;
  }

  /** Opens the spool in {@code dir}; fails when another dispatcher or process holds it. */
  public static Spool open(Path dir) throws IOException {
    Spool spool = tryOpen(dir);
    if (spool == null) {
      throw new IOException("spool directory " + dir + " is in use by another dispatcher");
    }
    return spool;
  }

  /**
   * Opens the spool in {@code dir}, or, when another dispatcher already holds it, in the first free
   * sibling {@code dir-2}, {@code dir-3}, ... . Records left there by an earlier process are pending.
   */
  public static Spool openFirstFree(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Spool spool = tryOpen(attempt == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + attempt));
      if (spool != null) {
        return spool;
      }
    }
  }

  private static Spool tryOpen(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return null;
      }
      return new Spool(dir, channel, lock);
    } catch (IOException | RuntimeException e) {
      // a spool that could not be read must not keep its directory locked for the rest of the process
      channel.close();
      throw e;
    }
  }

  public Path directory() {
    return dir;
  }

  /** Records appended (in this or an earlier process) and not yet acknowledged as delivered. */
  public synchronized long pending() {
    return pending;
  }


  /** Appends one record at the tail. */
  public synchronized void append(LogRecord record) throws IOException {
    ensureOpen();
    if (writer != null && (writer.run() != record.run() || writer.count() >= SEGMENT_RECORDS)) {
      seal();
    }
    if (writer == null) {
      writerNumber = nextNumber;
      nextNumber += SPACING;
      writer = new SegmentFile.Writer(segmentPath(writerNumber), record.run());
    }
    writer.append(record);
    pending++;
    dirty = true;
  }

  /**
   * Puts records at the head, before everything already spooled: used at close for records that
   * were taken from memory but not delivered, which are older than the spooled ones.
   */
  public synchronized void prepend(List<LogRecord> records) throws IOException {
    ensureOpen();
    if (records.isEmpty()) {
      return;
    }
    unread();
    long first = sealed.isEmpty() ? (writer != null ? writerNumber : nextNumber) : sealed.firstKey();
    writeGroups(records, first - groupsOf(records).size());
    pending += records.size();
  }

  /**
   * Seals the open segment and returns a position: records given later to {@link #insertAfter} with
   * it are read after everything appended before this call and before everything appended after.
   */
  public synchronized long sealForMarker() throws IOException {
    if (writer != null) {
      seal();
    }
    return nextNumber - SPACING;
  }

  /** Writes records so that they are read right after the segments a {@link #sealForMarker} call sealed. */
  public synchronized void insertAfter(long position, List<LogRecord> records) throws IOException {
    ensureOpen();
    if (records.isEmpty()) {
      return;
    }
    unread();
    writeGroups(records, position + 1);
    pending += records.size();
  }

  /** Splits records into runs of the same RunInfo (one segment each, the header names the run). */
  private static List<List<LogRecord>> groupsOf(List<LogRecord> records) {
    List<List<LogRecord>> groups = new ArrayList<>();
    for (LogRecord r : records) {
      if (groups.isEmpty() || groups.get(groups.size() - 1).get(0).run() != r.run()) {
        groups.add(new ArrayList<>());
      }
      groups.get(groups.size() - 1).add(r);
    }
    return groups;
  }

  private void writeGroups(List<LogRecord> records, long firstNumber) throws IOException {
    long n = firstNumber;
    for (List<LogRecord> g : groupsOf(records)) {
      Path path = segmentPath(n);
      try (SegmentFile.Writer w = new SegmentFile.Writer(path, g.get(0).run())) {
        for (LogRecord r : g) {
          w.append(r);
        }
      }
      sealed.put(n, path);
      written.put(path, g.size());
      n++;
    }
  }

  /**
   * Up to {@code max} records from the head, without removing them: call {@link #ack} once they are
   * delivered. Repeated calls without ack return the following records.
   */
  public List<LogRecord> peek(int max) throws IOException {
    List<LogRecord> batch = new ArrayList<>(Math.min(max, SEGMENT_RECORDS));
    while (true) {
      Path next;
      synchronized (this) {
        ensureOpen();
        while (batch.size() < max && !readAhead.isEmpty()) {
          batch.add(readAhead.pollFirst());
        }
        next = batch.size() < max ? nextSegment() : null;
        if (next == null) {
          unacked += batch.size();
          return batch;
        }
      }
      // sealed segments never change: read the file without holding up appends
      List<LogRecord> records = SegmentFile.readAll(next);
      synchronized (this) {
        lastLoadedTotal = records.size();
        int expected = written.getOrDefault(next, records.size());
        if (records.size() < expected) {
          pending -= expected - records.size(); // damaged: those records cannot be delivered
          written.put(next, records.size());
        }
        if (next.equals(partial)) {
          records = records.subList(Math.min(partialSkip, records.size()), records.size());
        }
        consumedSinceAck.add(next);
        readAhead.addAll(records);
      }
    }
  }

  /** Marks everything returned by {@link #peek} so far as delivered; fully read segments are deleted. */
  public synchronized void ack() throws IOException {
    pending -= unacked;
    unacked = 0;
    if (consumedSinceAck.isEmpty()) {
      return;
    }
    Path last = consumedSinceAck.get(consumedSinceAck.size() - 1);
    for (Path p : consumedSinceAck) {
      if (p != last || readAhead.isEmpty()) {
        Files.deleteIfExists(p);
        written.remove(p);
      }
    }
    consumedSinceAck.clear();
    if (readAhead.isEmpty()) {
      partial = null;
    } else {
      partial = last;
      partialSkip = lastLoadedTotal - readAhead.size();
      consumedSinceAck.add(last);
    }
  }

  /** The oldest sealed segment, taken off the list (sealing the open one if the reader caught up), or null. */
  private Path nextSegment() throws IOException {
    if (sealed.isEmpty()) {
      if (writer == null || writer.count() == 0) {
        return null;
      }
      seal();
    }
    return sealed.pollFirstEntry().getValue();
  }

  /** Forgets what was peeked but not acknowledged: those segments are read again from the start. */
  private void unread() {
    for (Path p : consumedSinceAck) {
      sealed.put(segmentNumber(p), p);
    }
    consumedSinceAck.clear();
    readAhead.clear();
    unacked = 0;
  }

  private void seal() throws IOException {
    writer.close();
    sealed.put(writerNumber, writer.path());
    written.put(writer.path(), (int) writer.count());
    writer = null;
    dirty = false;
  }

  /** Pushes buffered appends to the operating system, so a crash of this process keeps them. */
  public synchronized void flush() throws IOException {
    if (dirty && writer != null) {
      writer.flush();
      dirty = false;
    }
  }

  /** Seals the open segment and releases the directory; what is pending stays for the next process. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (writer != null) {
        seal();
      }
      unread(); // read but not acknowledged: kept for the next process
      if (pending == 0) {
        for (Path p : sealed.values()) {
          Files.deleteIfExists(p);
        }
      }
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new UncheckedIOException(new IOException("spool " + dir + " is closed"));
    }
  }

  private Path segmentPath(long number) {
    return dir.resolve(String.format("seg-%019d.spool", number));
  }

  private static long segmentNumber(Path p) {
    String name = p.getFileName().toString();
    return Long.parseLong(name.substring(4, name.length() - ".spool".length()));
  }
}
