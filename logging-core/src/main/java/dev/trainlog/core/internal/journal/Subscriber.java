package dev.trainlog.core.internal.journal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A cursor the journal keeps segments for. For a cursor that drops when the journal is full, {@link
 * #readTo} is where its reader has read to: the reader advances it record by record and the journal moves
 * it to the floor when it gives segments up, both by compare-and-set, so every record is either read or
 * counted in {@link #dropped}, never both and never neither, whether or not the reader runs.
 */
final class Subscriber {

  final Cursor cursor;
  final boolean blockWhenFull;
  final AtomicLong readTo;
  final AtomicLong dropped = new AtomicLong();
  /**
   * Records the reader claimed in this process (advanced after each claim, by the reader alone, with a release
   * store: no fence per record): what the journal compares with {@link Cursor#giveUp}'s count at the cursor to know
   * how many the worker holds unwritten.
   */
  final AtomicLong claims = new AtomicLong();
  /** What the last warning said, and when (guarded by the journal's deletion lock). */
  long reported;
  long reportedAtNanos;

  Subscriber(Cursor cursor, boolean blockWhenFull) {
    this.cursor = cursor;
    this.blockWhenFull = blockWhenFull;
    this.readTo = new AtomicLong(cursor.position());
  }
}
