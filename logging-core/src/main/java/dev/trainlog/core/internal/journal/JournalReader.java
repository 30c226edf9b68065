package dev.trainlog.core.internal.journal;

import dev.trainlog.api.LogRecord;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a journal in order from a position, one record at a time, up to its head. Used by one thread.
 * A reader that drops when the journal is full jumps over the segments given up under it and counts
 * the records it lost that way.
 */
public final class JournalReader {

  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

  private final Journal journal;
  private final boolean drops;
  private long position;
  private Segment segment;
  private long readInSegment;
  private long dropped;
  /** The record another reader decoded at the current position, if any. */
  private LogRecord shared;

  /**
   * A reader at {@code position}; {@code drops} is true for a backend whose full-journal policy
   * drops the oldest records, false (blocking, or a journal that does not grow) otherwise.
   */
  public JournalReader(Journal journal, long position, boolean drops) {
    this.journal = journal;
    this.position = position;
    this.drops = drops;
  }

  /** Position after the last record read. */
  public long position() {
    return position;
  }

  /** Records jumped over because the journal was full. */
  public long dropped() {
    return dropped;
  }

  /** The next record, or null at the head (call again later for a journal still appended to). */
  public LogRecord next() throws IOException {
    int len = advance(true);
    if (len < 0) {
      return null;
    }
    long at = position;
    LogRecord r = shared;
    if (r == null) {
      r = RecordCodec.readLazily(segment, Positions.offset(at) + Segment.FRAME_HEADER, len, segment.run());
      journal.recent().remember(at, r);
    }
    position = Positions.of(segment.index, Positions.offset(at) + Segment.FRAME_HEADER + len);
    readInSegment++;
    return r;
  }

  /** Moves past the next record without decoding it; false at the head. */
  boolean skip() throws IOException {
    int len = advance(false);
    if (len < 0) {
      return false;
    }
    position = Positions.of(segment.index, Positions.offset(position) + Segment.FRAME_HEADER + len);
    readInSegment++;
    return true;
  }

  /**
   * Positions the reader on the next whole record and loads its payload (or, with {@code share},
   * takes the record another reader decoded there into {@link #shared}); its length, or -1 at the head.
   */
  private int advance(boolean share) throws IOException {
    // every frame below the head is whole: this process wrote it, or the recovery scan checked its CRC
    shared = null;
    while (true) {
      long head = journal.head();
      if (position >= head) {
        return -1;
      }
      long index = Positions.segment(position);
      if (drops && index < journal.floor()) {
        jumpTo(journal.floor());
        continue;
      }
      if (segment == null || segment.index != index) {
        segment = journal.segment(index);
        if (segment == null) {
          long next = journal.firstSegmentFrom(index + 1);
          if (next < 0) {
            return -1;
          }
          jumpTo(next);
          continue;
        }
      }
      int off = Math.max(Positions.offset(position), segment.dataStart());
      position = Positions.of(index, off);
      int len = segment.lengthAt(off);
      if (len == 0 || len == Segment.NEXT_SEGMENT) {
        if (index >= Positions.segment(head)) {
          return -1;
        }
        moveTo(index + 1);
        continue;
      }
      if (share) {
        shared = journal.recent().at(position);
        if (shared != null) {
          return len;
        }
      }
      if (!segment.whole(off, len)) {
        log.warn("Journal {}: a damaged record at byte {} of segment {}; the rest of that segment is skipped",
            journal.directory(), off, index);
        moveTo(index + 1);
        continue;
      }
      return len;
    }
  }

  private void jumpTo(long target) {
    long index = Positions.segment(position);
    long lost = Math.max(0, journal.recordsIn(index) - readInSegment);
    for (long i = index + 1; i < target; i++) {
      lost += Math.max(0, journal.recordsIn(i));
    }
    dropped += lost;
    moveTo(target);
  }

  private void moveTo(long index) {
    position = Positions.of(index, 0);
    segment = null;
    readInSegment = 0;
  }
}
