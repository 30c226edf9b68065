package dev.trainlog.core.internal.journal;

/**
 * What a backend's reader may decide about a record from its journal header alone, before any object is
 * made for it: a backend that keeps one step in a hundred made and dropped a record for each of the other
 * ninety-nine. Asked once per record, on the reader's thread.
 */
public interface HeaderCheck {

  /** The header does not say: make the record and let the sampler look at it. */
  int LOOK = 0;
  /** The record is skipped: the reader passes over it. */
  int SKIP = 1;
  /** The record is kept whole, as it is: the sampler has decided and must not be asked again. */
  int KEEP = 2;

  /**
   * {@link #LOOK}, {@link #SKIP} or {@link #KEEP} for a record of {@code step} logged at {@code timestampMillis}
   * whose header says {@code flags} ({@link JournalTailer#NON_FINITE}, {@link JournalTailer#HAS_FILES}) and
   * whether it is forced; a record without metrics is never asked about.
   */
  int decide(long step, long timestampMillis, int flags, boolean forced);
}
