package dev.trainlog.spi;

import dev.trainlog.api.LogRecord;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A write failure that says whether trying again can help and, optionally, which records of the
 * batch failed: when {@link #failedRecords()} is not empty, every other record of the batch counts as
 * written and only the named ones are retried or dead-lettered.
 */
public class BackendException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final transient List<LogRecord> failedRecords;
  private final transient Duration retryAfter;

  public BackendException(String message, boolean retryable) {
    this(message, null, retryable, List.of());
  }

  public BackendException(String message, Throwable cause, boolean retryable) {
    this(message, cause, retryable, List.of());
  }

  public BackendException(String message, Throwable cause, boolean retryable, List<LogRecord> failedRecords) {
    this(message, cause, retryable, failedRecords, null);
  }

  /**
   * As above, with the wait the store asked for before the next attempt (an HTTP 429's {@code
   * Retry-After}); the core waits at least that long, {@code null} for no hint.
   */
  public BackendException(String message, Throwable cause, boolean retryable, List<LogRecord> failedRecords,
      Duration retryAfter) {
    super(message, cause);
    this.retryable = retryable;
    this.failedRecords = List.copyOf(Objects.requireNonNull(failedRecords, "failedRecords"));
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative but was " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** The wait the store asked for before trying again, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public boolean retryable() {
    return retryable;
  }

  /** The records of the batch that failed; empty means the whole batch failed. */
  public List<LogRecord> failedRecords() {
    return failedRecords;
  }
}
