package dev.trainlog.core.internal.journal;

import dev.trainlog.api.RunInfo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
  private final BlobStore blobs;
  private final SegmentSet set;
  private final Subscribers subscribers = new Subscribers();
  private final CursorBook cursorBook;
  private final SegmentSpace space;
  private final JournalWriter writer;
  /** Where {@link #force} got to (the watchdog's thread only). */
  private long forcedUpTo;
  /**
   * Runs the releases a roll asks for ({@link #releaseSoon}), off the appending thread: deleting the images
   * of a segment that every cursor passed cost B10's training thread milliseconds per roll. One thread, gone
   * after a minute without rolls.
   */
  private final ThreadPoolExecutor releaser;
  private final AtomicBoolean releaseQueued = new AtomicBoolean();

  private Journal(Path dir, JournalLock lock, int segmentSize, long maxSize) throws IOException {
    this.dir = dir;
    this.lock = lock;
    this.segmentSize = segmentSize;
    this.blobs = BlobStore.open(dir);
    this.set = new SegmentSet(dir, blobs);
    Recovery recovered = Recovery.scan(dir, set.segments, set.counts, set.gaps);
    this.cursorBook = new CursorBook(this, BackendRegistry.load(dir));
    this.space = new SegmentSpace(dir);
    SegmentIndex.load(dir, set.counts);
    this.writer = new JournalWriter(this, dir, segmentSize, maxSize, blobs, set, space, subscribers, recovered);
    this.forcedUpTo = recovered.end;
    this.releaser = BackgroundThread.named("trainlog-journal-release");
  }

  /**
   * Opens (creating on demand) the journal in {@code dir} for this process, or returns null when a
   * live process holds it. What an earlier process left there is recovered up to its last whole
   * record; new records go to a new segment after it.
   */
  public static Journal tryOpen(Path dir, int segmentSize, long maxSize) throws IOException {
    return tryOpen(dir, segmentSize, maxSize, true);
  }

  /**
   * As {@link #tryOpen}, for a journal another process left: null also when it is no longer there, or is being
   * deleted by the process that delivered it (its lock file gone), which opening it would make again.
   */
  public static Journal tryOpenLeft(Path dir, int segmentSize) throws IOException {
    return tryOpen(dir, segmentSize, Long.MAX_VALUE, false);
  }

  private static Journal tryOpen(Path dir, int segmentSize, long maxSize, boolean create) throws IOException {
    if (maxSize < 2L * segmentSize) {
      // the segment being written and the one before it; silently raising it would break the promise of max-size
      throw new IllegalArgumentException("the journal's max-size (" + maxSize + " bytes) must be at least twice its"
          + " segment-size (" + segmentSize + " bytes): raise dispatcher.journal.max-size or lower"
          + " dispatcher.journal.segment-size");
    }
    JournalLock lock = create ? JournalLock.tryTake(dir) : JournalLock.tryTakeExisting(dir);
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
    return JournalLock.journalsUnder(root);
  }

  public Path directory() {
    return dir;
  }

  /** The highest sequence number appended or reserved here, by this process or an earlier one, or -1. */
  public long lastSequence() {
    return writer.lastSequence();
  }

  /** The highest step appended here, by this process or an earlier one; {@link Long#MIN_VALUE} when none. */
  public long highestStep() {
    return writer.highestStep();
  }

  /**
   * Continues a run whose earlier records are no longer here (its journal was delivered and deleted):
   * sequences go on after {@code lastSequence}, and {@code step} counts as logged.
   */
  public void continueAfter(long lastSequence, long step) {
    writer.continueAfter(lastSequence, step);
  }

  /** A sequence number no record of this journal has or will get: for a record made at close. */
  public long reserveSequence() {
    return writer.reserveSequence();
  }

  /** Position after the last record appended: what a reader reads up to. */
  public long head() {
    return writer.head();
  }

  /** Position of the oldest record still kept. */
  public long start() {
    return set.start(writer.head());
  }

  /** Records appended by this process. */
  public long appended() {
    return writer.appended();
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
    synchronized (set) {
      FullJournal.droppedBefore(this, s);
      FullJournal.heldByAnEarlierProcess(s);
    }
    subscribers.add(s);
  }

  /** Records {@code cursor}'s backend lost because the journal was full (it drops the oldest). */
  public long droppedBy(Cursor cursor) {
    return subscribers.droppedBy(cursor);
  }

  /** Says at once what {@code cursor}'s backend dropped since the last warning: at close. */
  public void reportDrops(Cursor cursor) {
    Subscriber s = subscribers.of(cursor);
    if (s != null) {
      synchronized (set) {
        FullJournal.report(this, s, true);
      }
    }
  }

  /** Where the reader of a cursor that drops claims records (see {@link Subscriber#readTo}); null when not subscribed. */
  Subscriber claimOf(Cursor cursor) {
    return subscribers.claimOf(cursor);
  }

  /**
   * Appends one record numbered {@code sequence}, or with the next sequence number when it is
   * negative; numbering under the journal's lock makes journal order sequence order however many
   * threads append. Returns the record's sequence, or -1, appending nothing, when the journal refuses
   * records (closed, or a blocking cursor never made room before {@link #refuse}).
   */
  public long append(RunInfo run, long step, long sequence, long timestampMillis, boolean forced,
      Map<String, Object> metrics) throws IOException {
    return writer.append(run, step, sequence, timestampMillis, forced, metrics);
  }

  /** The images and artifacts of this journal. */
  public BlobStore blobs() {
    return blobs;
  }

  /** Where reading resumes when a damaged stretch starts at {@code position}, or -1. */
  long gapAt(long position) {
    return set.gapAt(position);
  }

  /** Records a damaged stretch a reader found, so that the other readers step over it without a scan. */
  void markGap(long from, long resume) {
    set.gaps.put(from, resume);
  }

  /** The segments still here, by number. */
  Map<Long, Segment> segments() {
    return set.segments;
  }

  /** Records in segment {@code index} once it was finished (from the scan or the index), 0 when unknown. */
  long recordsIn(long index) {
    return set.recordsIn(index);
  }

  /** A mapping of segment {@code index} for reading, or null when it is gone. */
  Segment segment(long index) throws IOException {
    return set.segment(index, Positions.segment(writer.head()));
  }

  /** The first segment at or after {@code index} that is still there, or -1. */
  long firstSegmentFrom(long index) {
    return set.firstFrom(index);
  }

  /** Called when a cursor moved: deletes the segments no cursor needs, and lets a waiting append go on. */
  public void release() {
    if (subscribers.isEmpty()) {
      return; // nobody reads this journal: a dead-letter store, or one opened to be resent whole
    }
    set.release(this, subscribers, writer.floor(), writer.head());
    writer.wakeIfWaiting();
  }

  /**
   * Moves the cursors that drop past what a roll gave up (below {@code floor}), counting what they lose: on
   * the appending thread, so a backend's count of dropped records is whole when {@code log()} returns; the
   * segments' deletion follows in {@link #releaseSoon}.
   */
  void dropBelow(long floor) {
    if (subscribers.isEmpty()) {
      return;
    }
    synchronized (set) {
      FullJournal.dropBelow(this, subscribers.all(), floor);
    }
  }

  /** As {@link #release}, soon, on a background thread: what a roll asks for. Requests meanwhile are one. */
  void releaseSoon() {
    if (!releaseQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      releaser.execute(() -> {
        releaseQueued.set(false);
        release();
      });
    } catch (RejectedExecutionException e) {
      releaseQueued.set(false); // closing: the cursors' own releases and deleteAll do the rest
    }
  }

  /** Waits for a release under way: nothing deletes files behind {@link #deleteAll} or {@link #close}. */
  private void stopReleasing() {
    if (!BackgroundThread.stop(releaser, 30)) {
      log.warn("Journal {}: a release of delivered segments was still running after 30 s", dir);
    }
  }

  /** From now on appends are refused; appends waiting for room give up. */
  public void refuse() {
    writer.refuse();
  }

  /**
   * Pushes what was appended since the last call to the device ({@code durability: fsync}): only
   * that range of each segment it spans, so a force costs what was written, not the segment's size.
   */
  public void force() {
    long to = writer.head();
    set.force(forcedUpTo, to);
    forcedUpTo = to;
  }

  /** Bytes from {@code position} to the head (segments counted at their size). */
  public long bytesFrom(long position) {
    long h = writer.head();
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

  /**
   * Deletes every file of this journal: all its records are delivered, but for damaged stretches readers found,
   * whose bytes are kept first ({@link SegmentSet#keepDamage}). The journal must not be used after.
   */
  public void deleteAll() throws IOException {
    stopReleasing();
    set.keepDamage();
    // cursors first: a kill from here on leaves records that are sent again, never cursors past them
    SegmentSet.deleteFiles(dir, p -> p.getFileName().toString().endsWith(".cursor"));
    set.deleteAll();
    SegmentSet.deleteFiles(dir, p -> Segment.indexOf(p) >= 0 || p.getFileName().toString().endsWith(".cursor"));
    blobs.close();
    BlobLists.deleteTree(dir.resolve(BlobStore.DIRECTORY));
    // the lock file goes while the lock is held: a process starting now finds no journal here, where one that
    // locked it between this release and its deletion adopted a journal deleted under it, and failed to start
    lock.deleteFile();
    close();
    SegmentSet.deleteFiles(dir, p -> true);
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
    stopReleasing();
    space.close();
    blobs.close();
    refuse();
    set.unmapWhenFree(); // what a reader still holds goes when it lets go
    lock.close();
  }

  @Override
  public String toString() {
    return "Journal{" + dir + "}";
  }
}
