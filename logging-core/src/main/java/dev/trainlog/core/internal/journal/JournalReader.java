package dev.trainlog.core.internal.journal;

import dev.trainlog.api.LogRecord;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a journal in order from a position, one record at a time, up to its head. Used by one thread.
 * A reader whose cursor drops when the journal is full goes on where the journal moved it; the journal
 * counts what it skipped.
 */
public final class JournalReader {

  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

  private final Journal journal;
  /** For a cursor that drops: the position this reader and the journal move by compare-and-set; null otherwise. */
  private final AtomicLong claim;
  /** The subscriber whose {@link Subscriber#readTo} is {@link #claim}; null with it. */
  private final Subscriber claimer;
  /** Records this reader claimed ({@link Subscriber#claims}). */
  private long claims;
  /** The value of {@link #claim} this reader last saw or set ({@link Subscriber#readTo(long, long)}). */
  private long claimed;
  private long position;
  private Segment segment;
  private final CRC32C crc = new CRC32C();
  private long damaged;
  private long skippedByHeader;
  private int decision = HeaderCheck.LOOK;
  private long lastSequence = -1;
  /** Where a damaged stretch this reader skipped began, until the next record tells its size; null when none. */
  private String damageAt;
  private long damageAfterSequence;
  /** Whether the damage at {@link #damageAt} was warned about by whoever found it (a scan at open, another reader). */
  private boolean damageToldBefore;

  /** A reader at {@code position} that never gives records up (blocking, or a journal that does not grow). */
  public JournalReader(Journal journal, long position) {
    this(journal, null, position);
  }

  /**
   * A reader for the subscribed {@code cursor} from {@code position}; when the cursor drops the oldest
   * records, what the journal gives up under it is skipped and counted by the journal ({@link Journal#droppedBy}).
   */
  public JournalReader(Journal journal, Cursor cursor, long position) {
    this.journal = journal;
    this.position = position;
    this.claimer = cursor == null ? null : journal.claimOf(cursor);
    this.claim = claimer == null ? null : claimer.readTo;
    this.claimed = position;
  }

  /** Position after the last record read. */
  public long position() {
    return position;
  }

  /** Records claimed so far, for a cursor that drops ({@link Subscriber#claims}); 0 otherwise. */
  long claims() {
    return claims;
  }

  /** Records a {@link HeaderCheck} skipped so far. */
  long skippedByHeader() {
    return skippedByHeader;
  }

  /** What the header check said of the record {@link #next(HeaderCheck)} returned last. */
  int decision() {
    return decision;
  }

  /** Records lost to damage this reader found itself (a CRC mismatch, a frame that does not decode). */
  public long damaged() {
    return damaged;
  }

  /**
   * The next record, or null at the head (call again later for a journal still appended to). A damaged
   * frame is skipped to the next intact one and a frame that does not decode is passed over, each with
   * a warning that says where and how many records it cost.
   */
  public LogRecord next() throws IOException {
    return next(null);
  }

  /**
   * As {@link #next()}, passing over the records {@code check} skips from their headers (counted by
   * {@link #skippedByHeader()}); {@link #decision()} says what it said of the record returned.
   */
  LogRecord next(HeaderCheck check) throws IOException {
    while (true) {
      int len = advance(true);
      if (len < 0) {
        return null;
      }
      int off = Positions.offset(position);
      int at = off + Segment.FRAME_HEADER;
      long after = Positions.of(segment.index, at + len);
      decision = check == null ? HeaderCheck.LOOK : RecordCodec.decide(segment, at, check);
      LogRecord r = null;
      if (decision != HeaderCheck.SKIP) {
        try {
          r = RecordCodec.readLazily(segment, at, len, segment.run());
        } catch (IOException e) {
          damaged++;
          log.warn("Journal {}: the record at byte {} of segment {} cannot be decoded ({}); it is skipped",
              journal.directory(), off, segment.path.getFileName(), e.getMessage());
          position = after;
          continue;
        }
      }
      if (claim != null) {
        long claiming = Subscriber.readTo(after, claims + 1); // the claim's count goes with it, as its parity
        if (!claim.compareAndSet(claimed, claiming)) {
          continue; // the journal gave this record up meanwhile and counted it as dropped
        }
        claimer.claims.lazySet(++claims);
        claimed = claiming;
      }
      position = after;
      counted(RecordCodec.sequenceAt(segment, at));
      if (r != null) {
        return r;
      }
      skippedByHeader++; // passed over from its header: the next one
    }
  }

  /** Moves past the next record without decoding it; false at the head. */
  boolean skip() throws IOException {
    int len = advance(false);
    if (len < 0) {
      return false;
    }
    position = Positions.of(segment.index, Positions.offset(position) + Segment.FRAME_HEADER + len);
    return true;
  }

  /**
   * Positions the reader on the next whole record and, with {@code read}, checks its CRC; its length,
   * or -1 at the head.
   */
  private int advance(boolean read) throws IOException {
    while (true) {
      long head = journal.head();
      if (position >= head) {
        if (position == head && damageAt == null && journal.gapAt(position) >= 0) {
          noteDamageFoundBefore(); // the scan at open ended the records before a damaged last one
        }
        return -1;
      }
      if (claim != null && claim.get() != claimed) {
        endOfJournal(); // damage before the floor: the records after it up to the floor are the journal's count
        claimed = claim.get(); // moved to the floor by the journal, which counted what it skipped
        moveTo(Positions.segment(Subscriber.position(claimed)));
        continue;
      }
      long index = Positions.segment(position);
      if (segment == null || segment.index != index) {
        Segment s = journal.segment(index);
        if (s != null && !s.pin()) {
          s = null; // deleted and unmapped meanwhile
        }
        letGo();
        segment = s;
        if (segment == null) {
          long next = journal.firstSegmentFrom(index + 1);
          if (next < 0) {
            return -1;
          }
          moveTo(next);
          continue;
        }
      }
      int off = Math.max(Positions.offset(position), segment.dataStart());
      position = Positions.of(index, off);
      long resume = journal.gapAt(position);
      if (resume >= 0) {
        if (damageAt == null) {
          noteDamageFoundBefore();
        }
        resumeAt(resume);
        continue;
      }
      int len = segment.lengthAt(off);
      if (len == 0 || len == Segment.NEXT_SEGMENT) {
        if (index >= Positions.segment(head)) {
          return -1;
        }
        moveTo(index + 1);
        continue;
      }
      if (read ? !segment.intact(off, len, crc) : !segment.whole(off, len)) {
        skipDamage(index, off, len, head);
        continue;
      }
      return len;
    }
  }

  /** Damage at {@link #position} that whoever found it warned about: counted here too, as what this reader's backend never gets. */
  private void noteDamageFoundBefore() {
    damageAt = "byte " + Positions.offset(position) + " of segment " + Positions.segment(position);
    damageAfterSequence = lastSequence;
    damageToldBefore = true;
  }

  /** A frame that fails its CRC: reading resumes at the next intact frame, and the loss is told once it is known. */
  private void skipDamage(long index, int off, int len, long head) {
    int limit = index == Positions.segment(head) ? Positions.offset(head) : segment.capacity();
    int next = Resync.nextFrame(segment, off + 1, limit, crc);
    // in the segment being appended to, what comes after the head is written later and whole
    long resume = next >= 0 ? Positions.of(index, next)
        : index == Positions.segment(head) ? head : Positions.of(index + 1, 0);
    journal.markGap(position, resume);
    if (damageAt == null) {
      damageAt = "byte " + off + " of segment " + segment.path.getFileName() + " ("
          + (len < Resync.MIN_PAYLOAD ? "an impossible length " + len : "a CRC mismatch") + ")";
      damageAfterSequence = lastSequence;
      damageToldBefore = false;
    }
    resumeAt(resume);
  }

  private void resumeAt(long resume) {
    if (Positions.segment(resume) != Positions.segment(position)) {
      moveTo(Positions.segment(resume));
    } else {
      position = resume;
    }
  }

  /** A record read: the damage before it, if any, is counted by the gap in the sequence numbers. */
  private void counted(long sequence) {
    if (damageAt != null) {
      long lost = damageAfterSequence < 0 ? 1 : Math.max(1, sequence - damageAfterSequence - 1);
      damaged += lost;
      if (!damageToldBefore) {
        log.warn("Journal {}: {} damaged record(s) at {} skipped; reading goes on", journal.directory(), lost, damageAt);
      }
      damageAt = null;
    }
    lastSequence = sequence;
  }

  /**
   * The end of a journal that no longer grows (a resend, a journal left behind): a damaged stretch with no
   * record after it costs at least one record, counted now (nothing after it tells how many).
   */
  public void endOfJournal() {
    if (damageAt != null) {
      damaged++;
      if (!damageToldBefore) {
        log.warn("Journal {}: at least 1 damaged record(s) at {} skipped (no record after it says how many)",
            journal.directory(), damageAt);
      }
      damageAt = null;
    }
  }

  /** Lets go of the segment this reader holds, so that it can be unmapped once deleted; reading may go on after. */
  public void close() {
    letGo();
  }

  private void letGo() {
    if (segment != null) {
      segment.unpin();
      segment = null;
    }
  }

  private void moveTo(long index) {
    position = Positions.of(index, 0);
    letGo();
  }
}
