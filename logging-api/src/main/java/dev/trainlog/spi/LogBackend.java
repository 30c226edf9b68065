package dev.trainlog.spi;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.util.List;

/**
 * A store that records are written to. Each backend has one worker thread of its own: all methods
 * are called from that thread, one at a time, so implementations need no locking.
 *
 * <p>{@code write} receives batches in step order. A write that throws is retried with backoff when
 * {@link #isRetryable} says so (so a retried batch may reach the store twice: key on {@link
 * LogRecord#id()} where the store can refuse duplicates); otherwise the records go to the
 * dead-letter file.
 */
public interface LogBackend {

  /** Connects or opens files; called once before the first write. A failure here is retried too. */
  default void open() throws Exception {}

  /** Writes a non-empty batch. Throw {@link BackendException} to name the records that failed. */
  void write(List<LogRecord> batch) throws Exception;

  /** Makes everything written so far durable or visible; called on the flush interval and at close. */
  default void flush() throws Exception {}

  /**
   * Finishes the run with the given status and releases resources; called after the last write.
   * Must be idempotent: a second call does nothing.
   */
  default void close(RunStatus status) throws Exception {}

  /**
   * How another run ended whose records this backend was handed from a journal its process left: that
   * process closed the run with {@code status} at {@code endTimeMillis} while this backend was behind (a
   * server down at the end). Called once, after the last of those records was written; a journal left by a
   * process that was killed has no such end. Backends that keep a run status record it, in place of the
   * {@code KILLED} they would otherwise assume; the default does nothing. A failure is warned about, not retried.
   */
  default void otherRunEnded(RunInfo run, RunStatus status, long endTimeMillis) throws Exception {}

  /**
   * Whether a failure of {@code write} or {@code open} may succeed when tried again (a server that
   * is down, a timeout). The default honours {@link BackendException#retryable()} and treats every
   * other exception as retryable.
   */
  default boolean isRetryable(Exception failure) {
    return !(failure instanceof BackendException) || ((BackendException) failure).retryable();
  }
}
