package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.core.internal.journal.HeaderCheck;
import dev.trainlog.core.internal.journal.JournalTailer;

/** What a backend keeps of each record it reads: its sampler, filters and reduction. Used by one thread. */
public interface Gate {

  /** {@link #offer(LogRecord, int)}: what the record's journal header says is not known; the gate looks. */
  int UNKNOWN = -1;
  /** A flag of {@link #offer(LogRecord, int)}: a value, at any depth, is NaN or ±Infinity. */
  int NON_FINITE = JournalTailer.NON_FINITE;
  /** A flag of {@link #offer(LogRecord, int)}: a top-level value is an image or an artifact. */
  int HAS_FILES = JournalTailer.HAS_FILES;

  /** Keeps everything: for tests and for backends configured with {@code sample: always}. */
  Gate ALWAYS = new Gate() {
    @Override
    public LogRecord offer(LogRecord record) {
      return record;
    }

    @Override
    public LogRecord drainPending(long sequence) {
      return null;
    }
  };

  /**
   * Whether the gate holds folded records not yet emitted. A reader persists its journal cursor only
   * where this is false, so that a restart folds the same records again instead of losing them.
   */
  default boolean holdsPending() {
    return false;
  }

  /**
   * Whether this gate would keep {@code key} at {@code step} if a record held it now; called from any
   * thread, so it reads only what the worker publishes safely. An image asks the {@code images} rule.
   * Unknown gates want everything.
   */
  default boolean wants(String key, long step, long nowMillis, boolean image) {
    return true;
  }

  /**
   * What the gate decides of a journal record from its header alone ({@link HeaderCheck}): {@link
   * HeaderCheck#SKIP} or {@link HeaderCheck#KEEP} only when it would decide the same looking at the record,
   * and then it is not offered the record; {@link HeaderCheck#LOOK} otherwise (the default).
   */
  default int decide(long step, long timestampMillis, int flags, boolean forced) {
    return HeaderCheck.LOOK;
  }

  /** The record to queue for this backend (maybe changed), or {@code null} to skip it. */
  LogRecord offer(LogRecord record);

  /**
   * As {@link #offer(LogRecord)} for a record read from the journal, whose header told {@code flags}
   * ({@link #NON_FINITE}, {@link #HAS_FILES}; {@link #UNKNOWN}) without decoding its values.
   */
  default LogRecord offer(LogRecord record, int flags) {
    return offer(record);
  }

  /**
   * What is still folded and was never emitted, at close, as one record numbered {@code sequence};
   * {@code null} when nothing is. The caller passes a sequence number no logged record has, so the
   * record's {@link LogRecord#id()} is its own even when its step was partly emitted before.
   */
  LogRecord drainPending(long sequence);
}
