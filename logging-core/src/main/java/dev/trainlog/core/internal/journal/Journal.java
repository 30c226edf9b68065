package dev.trainlog.core.internal.journal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of records in memory-mapped segment files, read by one cursor per backend.
 * The caller appends each record once; a record whose {@code append} returned is in the page cache
 * and survives the process. A segment is deleted once every cursor has passed it; past {@code
 * maxSize} the oldest segments are given up by cursors that drop, and appends wait for cursors that
 * block. One journal directory is held by one process at a time.
 */
public final class Journal implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final Path dir;
  private final JournalLock lock;
  private final int segmentSize;
  private final long maxSize;
  private final BlobStore blobs;
  /** Images and artifacts met while encoding the record being appended (guarded by this). */
  private final List<Object> files = new ArrayList<>();
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  /** Records in each segment no longer appended to. */
  private final Map<Long, Long> counts = new ConcurrentHashMap<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  /** Held while segments are given up and deleted; never while taking the append lock. */
  private final Object deletion = new Object();
  private final CursorBook cursorBook;
  private final SegmentSpace space;
  /** Damaged stretches found by the recovery or a reader: from their start to the next intact frame. */
  private final ConcurrentSkipListMap<Long, Long> gaps = new ConcurrentSkipListMap<>();

  // the writer's state, guarded by this
  private final ByteSink scratch = new ByteSink();
  private final CRC32C crc = new CRC32C();
  private RunInfo runOfBytes;
  private byte[] runBytes;
  private Segment current;
  private int offset;
  private long inCurrent;
  private boolean refusing;
  /** The sequence the next record without one of its own gets: journal order is sequence order. */
  private long nextSequence;
  private long highestStep = Long.MIN_VALUE;
  /** Appends waiting for a blocking cursor to make room: changed under the lock, read by {@link #release} without it. */
  private volatile int awaitingRoom;

  private final RecentRecords recent = new RecentRecords();

  private volatile long head;
  /** Where {@link #force} got to (the watchdog's thread only). */
  private long forcedUpTo;
  private volatile long appended;
  /** Cursors that drop when the journal is full jump to this segment. */
  private volatile long floor;

  private Journal(Path dir, JournalLock lock, int segmentSize, long maxSize) throws IOException {
    this.dir = dir;
    this.lock = lock;
    this.segmentSize = segmentSize;
    this.maxSize = maxSize;
    this.blobs = BlobStore.open(dir);
    Recovery recovered = Recovery.scan(dir, segments, counts, gaps);
    this.cursorBook = new CursorBook(this, BackendRegistry.load(dir));
    this.space = new SegmentSpace(dir);
    SegmentIndex.load(dir, counts);
    this.nextSequence = recovered.lastSequence + 1;
    this.highestStep = recovered.highestStep;
    this.head = recovered.end;
    this.forcedUpTo = recovered.end;
  }

  /**
   * Opens (creating on demand) the journal in {@code dir} for this process, or returns null when a
   * live process holds it. What an earlier process left there is recovered up to its last whole
   * record; new records go to a new segment after it.
   */
  public static Journal tryOpen(Path dir, int segmentSize, long maxSize) throws IOException {
    if (maxSize < 2L * segmentSize) {
      // the segment being written and the one before it; silently raising it would break the promise of max-size
      throw new IllegalArgumentException("the journal's max-size (" + maxSize + " bytes) must be at least twice its"
          + " segment-size (" + segmentSize + " bytes): raise dispatcher.journal.max-size or lower"
          + " dispatcher.journal.segment-size");
    }
    JournalLock lock = JournalLock.tryTake(dir);
    if (lock == null) {
      return null;
    }
    try {
      return new Journal(dir, lock, segmentSize, maxSize);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** The PID of the process holding (or that last held) the journal in {@code dir}. */
  public static String holderOf(Path dir) {
    return JournalLock.holder(dir);
  }

  /** The journal directories directly under {@code root}, oldest first. */
  public static List<Path> journalsUnder(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).filter(JournalLock::isJournal)
          .sorted(Comparator.comparing(Journal::modified).thenComparing(Path::toString)).toList();
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  public Path directory() {
    return dir;
  }

  /** The highest sequence number appended or reserved here, by this process or an earlier one, or -1. */
  public synchronized long lastSequence() {
    return nextSequence - 1;
  }

  /** The highest step appended here, by this process or an earlier one; {@link Long#MIN_VALUE} when none. */
  public synchronized long highestStep() {
    return highestStep;
  }

  /**
   * Continues a run whose earlier records are no longer here (its journal was delivered and deleted):
   * sequences go on after {@code lastSequence}, and {@code step} counts as logged.
   */
  public synchronized void continueAfter(long lastSequence, long step) {
    nextSequence = Math.max(nextSequence, lastSequence + 1);
    highestStep = Math.max(highestStep, step);
  }

  /** A sequence number no record of this journal has or will get: for a record made at close. */
  public synchronized long reserveSequence() {
    return nextSequence++;
  }

  /** Position after the last record appended: what a reader reads up to. */
  public long head() {
    return head;
  }

  /** Position of the oldest record still kept. */
  public long start() {
    Long first = segments.isEmpty() ? null : segments.firstKey();
    return first == null ? head : Positions.of(first, 0);
  }

  /** Records appended by this process. */
  public long appended() {
    return appended;
  }

  /**
   * Opens the cursor of {@code backend}; a backend this journal never had starts at {@code initial}. A
   * cursor that is missing although the backend read here before, unreadable, or past the head is reported
   * by name and starts again at the oldest record still here: records are sent twice rather than lost.
   */
  public Cursor cursor(String backend, long initial) throws IOException {
    return cursorBook.cursor(backend, initial);
  }

  /** The backends that have or had a cursor here (including ones this process does not configure). */
  public List<String> cursorNames() throws IOException {
    return cursorBook.names();
  }

  /** Registers a cursor for segment deletion and the full-journal policy. */
  public void subscribe(Cursor cursor, boolean blockWhenFull) {
    Subscriber s = new Subscriber(cursor, blockWhenFull);
    synchronized (deletion) {
      FullJournal.droppedBefore(this, s);
    }
    subscribers.add(s);
  }

  /** Records {@code cursor}'s backend lost because the journal was full (it drops the oldest). */
  public long droppedBy(Cursor cursor) {
    Subscriber s = subscriberOf(cursor);
    return s == null ? 0 : s.dropped.get();
  }

  /** Says at once what {@code cursor}'s backend dropped since the last warning: at close. */
  public void reportDrops(Cursor cursor) {
    Subscriber s = subscriberOf(cursor);
    if (s != null) {
      synchronized (deletion) {
        FullJournal.report(this, s, true);
      }
    }
  }

  /** Where the reader of a cursor that drops claims records (see {@link Subscriber#readTo}); null when not subscribed. */
  java.util.concurrent.atomic.AtomicLong claimOf(Cursor cursor) {
    Subscriber s = subscriberOf(cursor);
    return s == null || s.blockWhenFull ? null : s.readTo;
  }

  private Subscriber subscriberOf(Cursor cursor) {
    for (Subscriber s : subscribers) {
      if (s.cursor == cursor) {
        return s;
      }
    }
    return null;
  }

  /**
   * Appends one record numbered {@code sequence}, or with the next sequence number when it is
   * negative; numbering under the journal's lock makes journal order sequence order however many
   * threads append. Returns the record's sequence, or -1, appending nothing, when the journal refuses
   * records (closed, or a blocking cursor never made room before {@link #refuse}).
   */
  public synchronized long append(RunInfo run, long step, long sequence, long timestampMillis, boolean forced,
      Map<String, Object> metrics) throws IOException {
    if (refusing) {
      return -1;
    }
    if (sequence < 0) {
      sequence = nextSequence;
    }
    scratch.reset();
    files.clear();
    RecordCodec.writeRecord(scratch, step, sequence, timestampMillis, forced, metrics, files);
    int length = scratch.size();
    crc.reset();
    crc.update(scratch.array(), 0, length);
    while (current == null || run != current.runIfKnown() || !current.fits(offset, length)) {
      if (current == null && run == null) {
        throw new IllegalArgumentException("run");
      }
      if (!roll(run, length)) {
        return -1;
      }
    }
    if (!files.isEmpty()) {
      keepFiles();
    }
    long at = Positions.of(current.index, offset);
    current.writeFrame(offset, scratch.array(), length, (int) crc.getValue());
    // readers that keep up take the caller's own record instead of decoding the frame
    recent.remember(at, new LogRecord(run, step, sequence, timestampMillis, metrics, forced));
    offset += Segment.FRAME_HEADER + length;
    inCurrent++;
    appended++;
    head = Positions.of(current.index, offset);
    nextSequence = Math.max(nextSequence, sequence + 1);
    highestStep = Math.max(highestStep, step);
    return sequence;
  }

  /**
   * Before the frame: the files the record refers to are in this journal's store (a dead letter's or a
   * resent record's come from another) and listed beside the current segment, so a sweep keeps them.
   */
  private void keepFiles() throws IOException {
    StringBuilder ids = new StringBuilder();
    for (Object v : files) {
      blobs.adopt(v);
      if (v instanceof dev.trainlog.api.Images images) {
        images.forEach(i -> ids.append(i.contentId()).append('\n'));
      } else {
        ids.append(((dev.trainlog.api.Artifact) v).contentId()).append('\n');
      }
    }
    Files.writeString(BlobLists.pathOf(dir, current.index), ids, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    for (Object v : files) {
      if (v instanceof dev.trainlog.api.Images images) {
        images.forEach(i -> blobs.appended(i.contentId()));
      } else {
        blobs.appended(((dev.trainlog.api.Artifact) v).contentId());
      }
    }
  }

  /** The images and artifacts of this journal. */
  public BlobStore blobs() {
    return blobs;
  }

  /** Segments kept before the oldest are given up: what max-size leaves once the blob files are counted. */
  private long maxSegments() {
    return Math.max(2, (maxSize - blobs.bytes()) / segmentSize);
  }

  /** Starts the next segment, waiting while a blocking cursor holds the oldest; false when refused meanwhile. */
  private boolean roll(RunInfo run, int length) throws IOException {
    long next = current != null ? current.index + 1 : segments.isEmpty() ? 0 : segments.lastKey() + 1;
    long newFloor = next - maxSegments() + 1;
    while (newFloor > 0 && blockedBelow(newFloor)) {
      if (refusing) {
        return false;
      }
      // set before the cursors are looked at again, so that a cursor moving meanwhile sees it (release)
      awaitingRoom++;
      try {
        if (!blockedBelow(newFloor)) {
          break;
        }
        wait(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        awaitingRoom--;
      }
      if (current != null && current.index + 1 != next) {
        return true; // another caller rolled meanwhile
      }
    }
    if (run != runOfBytes) {
      ByteSink sink = new ByteSink();
      RecordCodec.writeRun(sink, run);
      runBytes = java.util.Arrays.copyOf(sink.array(), sink.size());
      runOfBytes = run;
    }
    int size = Math.max(segmentSize, 12 + runBytes.length + Segment.FRAME_HEADER + length + 4);
    // the new segment first: when the device is full this throws and the journal is as it was
    Segment created = Segment.create(dir, next, size, run, runBytes, space);
    if (current != null) {
      current.markNext(offset);
      counts.put(current.index, inCurrent);
      SegmentIndex.append(dir, current.index, inCurrent);
    }
    current = created;
    segments.put(next, current);
    space.reserveAhead(segmentSize);
    offset = current.dataStart();
    inCurrent = 0;
    if (newFloor > floor) {
      floor = newFloor;
    }
    release();
    return true;
  }

  private boolean blockedBelow(long segment) {
    for (Subscriber s : subscribers) {
      if (s.blockWhenFull && Positions.segment(s.cursor.position()) < segment) {
        return true;
      }
    }
    return false;
  }

  /** Where reading resumes when a damaged stretch starts at {@code position}, or -1. */
  long gapAt(long position) {
    if (gaps.isEmpty()) {
      return -1;
    }
    Long resume = gaps.get(position);
    return resume == null ? -1 : resume;
  }

  /** Records a damaged stretch a reader found, so that the other readers step over it without a scan. */
  void markGap(long from, long resume) {
    gaps.put(from, resume);
  }

  /** The segments still here, by number. */
  Map<Long, Segment> segments() {
    return segments;
  }

  /** Records in segment {@code index} once it was finished (from the scan or the index), 0 when unknown. */
  long recordsIn(long index) {
    return Math.max(0, counts.getOrDefault(index, 0L));
  }

  /** A mapping of segment {@code index} for reading, or null when it is gone. */
  Segment segment(long index) throws IOException {
    Segment s = segments.get(index);
    if (s == null && index <= Positions.segment(head)) {
      s = Segment.open(Segment.pathOf(dir, index));
      if (s != null) {
        segments.putIfAbsent(index, s);
      }
    }
    return s;
  }

  /** The first segment at or after {@code index} that is still there, or -1. */
  long firstSegmentFrom(long index) {
    Long k = segments.ceilingKey(index);
    return k == null ? -1 : k;
  }

  /** Called when a cursor moved: deletes the segments no cursor needs, and lets a waiting append go on. */
  public void release() {
    if (subscribers.isEmpty()) {
      return; // nobody reads this journal: a dead-letter store, or one opened to be resent whole
    }
    synchronized (deletion) {
      long f = floor;
      if (f > 0) {
        FullJournal.dropBelow(this, subscribers, f);
      }
      long needed = Positions.segment(head);
      for (Subscriber s : subscribers) {
        // a batch a dropping reader holds stays readable from the mapping (see Segment) after its file is gone
        long seg = Positions.segment(s.cursor.position());
        needed = Math.min(needed, s.blockWhenFull ? seg : Math.max(seg, f));
      }
      boolean deleted = false;
      for (Long index : new ArrayList<>(segments.headMap(needed).keySet())) {
        Segment s = segments.remove(index);
        deleted = true;
        try {
          s.delete();
        } catch (IOException e) {
          log.warn("Could not delete journal segment {}: {}", s.path, e.toString());
        }
      }
      if (deleted) {
        BlobLists.sweep(dir, segments.keySet(), blobs);
      }
    }
    if (awaitingRoom > 0) {
      // only then: taking the monitor on every cursor move would make the caller's appends wait for it
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** From now on appends are refused; appends waiting for room give up. */
  public synchronized void refuse() {
    refusing = true;
    notifyAll();
  }

  /**
   * Pushes what was appended since the last call to the device ({@code durability: fsync}): only
   * that range of each segment it spans, so a force costs what was written, not the segment's size.
   */
  public void force() {
    long to = head;
    long from = forcedUpTo;
    for (long index = Positions.segment(from); index <= Positions.segment(to); index++) {
      Segment s = segments.get(index);
      if (s != null && s.pin()) {
        try {
          int start = index == Positions.segment(from) ? Positions.offset(from) : 0;
          int end = index == Positions.segment(to) ? Positions.offset(to) : s.capacity();
          s.force(start, end);
        } finally {
          s.unpin();
        }
      }
    }
    forcedUpTo = to;
  }

  /** Bytes from {@code position} to the head (segments counted at their size). */
  public long bytesFrom(long position) {
    long h = head;
    long segs = Positions.segment(h) - Positions.segment(position);
    return Math.max(0, segs * segmentSize + Positions.offset(h) - Positions.offset(position));
  }

  /** Counts the records from {@code position} to the head, reading only the frame lengths. */
  public long recordsFrom(long position) throws IOException {
    JournalReader r = new JournalReader(this, position);
    long n = 0;
    while (r.skip()) {
      n++;
    }
    r.close();
    return n;
  }

  /** Deletes every file of this journal: all its records are delivered. The journal must not be used after. */
  public void deleteAll() throws IOException {
    // cursors first: a kill from here on leaves records that are sent again, never cursors past them
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().endsWith(".cursor")) {
          Files.deleteIfExists(p);
        }
      }
    }
    for (Segment s : segments.values()) {
      s.delete();
    }
    segments.clear();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (Segment.indexOf(p) >= 0 || p.getFileName().toString().endsWith(".cursor")) {
          Files.deleteIfExists(p);
        }
      }
    }
    close();
    BlobLists.deleteTree(dir.resolve(BlobStore.DIRECTORY));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  /**
   * Writes the first segment's blocks now, so that the first append does not wait for them (later
   * segments' blocks are written ahead on a background thread): for a journal about to be appended to.
   */
  public void reserveAhead() {
    space.reserveAhead(segmentSize);
    space.awaitSpare();
  }

  /** Releases the directory; what it holds stays for the next process. */
  @Override
  public void close() throws IOException {
    space.close();
    blobs.close();
    refuse();
    for (Segment s : segments.values()) {
      s.unmapWhenFree(); // what a reader still holds goes when it lets go
    }
    lock.close();
  }

  /** Records appended or decoded lately, for readers that reach the same position. */
  RecentRecords recent() {
    return recent;
  }

  @Override
  public String toString() {
    return "Journal{" + dir + "}";
  }
}
