package dev.trainlog.core.internal.journal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cursors a journal keeps segments for, and what each that drops lost when the journal was full
 * (see {@link FullJournal}). Thread-safe; drops are counted and reported under the segment set's lock.
 */
final class Subscribers {

  private final List<Subscriber> list = new CopyOnWriteArrayList<>();

  void add(Subscriber s) {
    list.add(s);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<Subscriber> all() {
    return list;
  }

  /** The subscriber of {@code cursor}, or null. */
  Subscriber of(Cursor cursor) {
    for (Subscriber s : list) {
      if (s.cursor == cursor) {
        return s;
      }
    }
    return null;
  }

  /** Records {@code cursor}'s backend lost because the journal was full. */
  long droppedBy(Cursor cursor) {
    Subscriber s = of(cursor);
    return s == null ? 0 : s.dropped.get();
  }

  /** Where the reader of a cursor that drops claims records (see {@link Subscriber#readTo}); null otherwise. */
  Subscriber claimOf(Cursor cursor) {
    Subscriber s = of(cursor);
    return s == null || s.blockWhenFull ? null : s;
  }

  /** Whether a cursor that blocks when the journal is full is still before segment {@code segment}. */
  boolean blockedBelow(long segment) {
    for (Subscriber s : list) {
      if (s.blockWhenFull && Positions.segment(s.cursor.position()) < segment) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first segment some cursor still needs, at most {@code headSegment}; a cursor that drops needs
   * nothing below {@code floor}.
   */
  long firstNeeded(long headSegment, long floor) {
    long needed = headSegment;
    for (Subscriber s : list) {
      // a batch a dropping reader holds stays readable from the mapping (see Segment) after its file is gone
      long seg = Positions.segment(s.cursor.position());
      needed = Math.min(needed, s.blockWhenFull ? seg : Math.max(seg, floor));
    }
    return needed;
  }
}
