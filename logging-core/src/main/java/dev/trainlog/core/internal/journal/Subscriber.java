package dev.trainlog.core.internal.journal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A cursor the journal keeps segments for. For a cursor that drops when the journal is full, {@link
 * #readTo} is where its reader has read to: the reader advances it record by record and the journal moves
 * it to the floor when it gives segments up, both by compare-and-set, so every record is either read or
 * counted in {@link #dropped}, never both and never neither, whether or not the reader runs.
 */
final class Subscriber {

  /**
   * The bit of {@link #readTo} that holds the parity of the claims made up to it (an offset in a segment is an int,
   * so a position never has it): the journal tells from it whether {@link #claims} already counts the reader's
   * last claim, which it publishes right after the claim.
   */
  private static final long ODD_CLAIMS = 1L << 31;

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

  /** The value of {@link #readTo} at {@code position} once {@code claimsSoFar} records are claimed. */
  static long readTo(long position, long claimsSoFar) {
    return position | ((claimsSoFar & 1) == 0 ? 0 : ODD_CLAIMS);
  }

  /** The journal position a value of {@link #readTo} holds. */
  static long position(long readTo) {
    return readTo & ~ODD_CLAIMS;
  }

  /**
   * The claims made up to {@code readTo}, from {@code published}, a value of {@link #claims} read while {@link
   * #readTo} held it: the reader publishes a claim's count after the claim, so it is that count or one less.
   */
  static long claimsUpTo(long readTo, long published) {
    boolean odd = (readTo & ODD_CLAIMS) != 0;
    return ((published & 1) == 1) == odd ? published : published + 1;
  }
}
