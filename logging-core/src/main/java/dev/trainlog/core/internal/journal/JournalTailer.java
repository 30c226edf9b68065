package dev.trainlog.core.internal.journal;

import dev.trainlog.api.LogRecord;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One backend's reading of one journal, as Chronicle Queue's tailer: it owns the reader, the cursor,
 * the safe position (up to which everything read is written or sampled out) and the segments it lets
 * go of; records come with their metrics decoded on first use. Used by the backend's worker thread;
 * {@link #bytesBehind}, {@link #dropped} and {@link #forceCursor} are safe from any thread.
 */
public final class JournalTailer {

  /** {@link #flags()}: a value of the last record read is NaN or ±Infinity. */
  public static final int NON_FINITE = 1;
  /** {@link #flags()}: a top-level value of the last record read is an image or an artifact. */
  public static final int HAS_FILES = 2;

  private final Journal journal;
  /** Ids of the files held for the records this tailer handed to a batch ({@link #holdFiles}). */
  private final java.util.List<String> held = new java.util.ArrayList<>();
  private final Cursor cursor;
  private final JournalReader reader;
  private final long behindAtStart;
  private long safe;
  /** The reader's {@link JournalReader#claims} when {@link #safe} was marked. */
  private long claimsAtSafe;
  private volatile long position;
  private int flags;

  private JournalTailer(Journal journal, Cursor cursor, long start, boolean drops) throws IOException {
    this.journal = journal;
    this.cursor = cursor;
    this.reader = drops ? new JournalReader(journal, cursor, start) : new JournalReader(journal, start);
    this.safe = start;
    this.position = start;
    this.behindAtStart = journal.recordsFrom(start);
  }

  /**
   * A tailer of {@code journal} from its subscribed {@code cursor}; with {@code drops}, what the journal
   * gives up under a cursor that drops when full is skipped (and counted by the journal).
   */
  public static JournalTailer at(Journal journal, Cursor cursor, boolean drops) throws IOException {
    return new JournalTailer(journal, cursor, cursor.position(), drops);
  }

  /** A tailer of a journal handed over whole (a resend): from {@code cursorOrNull}, else its oldest record. */
  public static JournalTailer whole(Journal journal, Cursor cursorOrNull) throws IOException {
    long start = cursorOrNull != null ? cursorOrNull.position() : journal.start();
    return new JournalTailer(journal, cursorOrNull, start, false);
  }

  /**
   * The next record, or null at the head (call again later for a journal still appended to). Its
   * metrics are decoded when first used; {@link #flags()} says what its header told without decoding.
   */
  public LogRecord next() throws IOException {
    return next(null);
  }

  /**
   * As {@link #next()}, passing over the records {@code check} skips from their headers alone ({@link
   * #skippedByHeader()}); {@link #decision()} says what it said of the record returned.
   */
  public LogRecord next(HeaderCheck check) throws IOException {
    LogRecord r = reader.next(check);
    position = reader.position();
    flags = r != null && r.metrics() instanceof LazyMetrics lazy
        ? (lazy.hasNonFinite() ? NON_FINITE : 0) | (lazy.hasFiles() ? HAS_FILES : 0) : -1;
    return r;
  }

  /**
   * What the header of the record {@link #next} returned last says: {@link #NON_FINITE}, {@link #HAS_FILES};
   * -1 when no header was read.
   */
  public int flags() {
    return flags;
  }

  /** Records passed over from their headers alone so far. */
  public long skippedByHeader() {
    return reader.skippedByHeader();
  }

  /** {@link HeaderCheck#LOOK}, or what the header check decided for the record {@link #next(HeaderCheck)} returned. */
  public int decision() {
    return reader.decision();
  }

  /** A record as a backend receives it: its metrics decoded (a record not read here is returned as it is). */
  public static LogRecord decoded(LogRecord record) {
    if (record != null && record.metrics() instanceof LazyMetrics lazy) {
      return record.withMetrics(lazy.decoded());
    }
    return record;
  }

  /** Everything read so far is written or sampled out: the cursor may move there. */
  public void markSafe() {
    safe = reader.position();
    claimsAtSafe = reader.claims();
  }

  /** Persists the cursor at the safe position and lets the journal delete the segments no cursor needs. */
  public void persist() {
    if (cursor != null && cursor.completedTo(safe, claimsAtSafe)) {
      journal.release();
    }
  }

  /** Position after the last record read. */
  public long position() {
    return reader.position();
  }

  /** From any thread: bytes between where this tailer is and the journal's head. */
  public long bytesBehind() {
    return journal.bytesFrom(position);
  }

  /** Records between where reading started and the journal's head when this tailer was made. */
  public long behindAtStart() {
    return behindAtStart;
  }

  /**
   * From any thread: records this tailer will never get, lost to damage its reader found or (for a
   * cursor that drops) given up by the journal when it was full.
   */
  public long dropped() {
    return reader.damaged() + (cursor == null ? 0 : journal.droppedBy(cursor));
  }

  /** A journal that no longer grows is read to its end: damage with no record after it is counted ({@link JournalReader#endOfJournal}). */
  public void endOfJournal() {
    reader.endOfJournal();
  }

  /** Warns at once about what the journal dropped under this cursor and did not report yet: at close. */
  public void reportDrops() {
    if (cursor != null) {
      journal.reportDrops(cursor);
    }
  }

  /** From any thread: forces the cursor to the device ({@code durability: fsync}). */
  public void forceCursor() {
    if (cursor != null) {
      cursor.force();
    }
  }

  /** A sequence number no record of this journal has: for what a sampler still folds at its end. */
  public long reserveSequence() {
    return journal.reserveSequence();
  }

  /** Records this process appended to the journal. */
  public long appended() {
    return journal.appended();
  }

  public Journal journal() {
    return journal;
  }

  public Path directory() {
    return journal.directory();
  }

  /**
   * Keeps the image and artifact files {@code record} refers to while a backend's batch holds it, until {@link
   * #letGoOfFiles}: a journal that drops (drop-oldest) may delete the segments of a batch being retried, and
   * would sweep their files with them. True when the record refers to any.
   */
  public boolean holdFiles(LogRecord record) {
    int before = held.size();
    for (Object v : record.metrics().values()) {
      BlobStore.addIds(v, held);
    }
    if (held.size() == before) {
      return false;
    }
    journal.blobs().hold(held.subList(before, held.size()));
    return true;
  }

  /**
   * Whether the cursor is at or past {@code position}, the end of a record a batch holds unwritten: only the
   * journal moves it there (drop-oldest; a worker stores it after a batch is written), so the next process will
   * not read that record again.
   */
  public boolean gaveUpTo(long position) {
    return cursor != null && cursor.position() >= position;
  }

  /** The records a batch held when the journal gave up their place are kept as dead letters ({@link Cursor#giveUp}). */
  public void keptWhatWasGivenUp() {
    if (cursor != null) {
      cursor.heldKept();
    }
  }

  /** The batch that held files is written or given up. */
  public void letGoOfFiles() {
    if (!held.isEmpty()) {
      journal.blobs().letGo(held);
      held.clear();
    }
  }

  /** Lets go of the segment the reader holds. */
  public void close() {
    reader.close();
  }
}
