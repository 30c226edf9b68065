package dev.trainlog.core.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * How one backend's worker batches, retries, times out and behaves when the journal is full (the name is
 * older than the journal: these are the worker's settings). Immutable.
 */
public final class ChannelSettings {

  /** Most records handed to one {@code write} call: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 512;

  /** Longest a kept record waits before a partial batch is written: 2 seconds. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(2);

  /** First wait after a retryable failure: 100 ms, doubled per failure with jitter. */
  public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);

  /** Longest wait between retries: 30 seconds. */
  public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(30);

  /** Longest one {@code write} may take before it is interrupted and the batch retried: 30 seconds. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

  private static final ChannelSettings DEFAULTS = new ChannelSettings(DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL,
      DEFAULT_RETRY_INITIAL_BACKOFF, DEFAULT_RETRY_MAX_BACKOFF, DEFAULT_WRITE_TIMEOUT, null);

  private final int batchSize;
  private final Duration flushInterval;
  private final Duration retryInitialBackoff;
  private final Duration retryMaxBackoff;
  private final Duration writeTimeout;
  private final OnFull onFull;

  private ChannelSettings(int batchSize, Duration flushInterval, Duration retryInitialBackoff,
      Duration retryMaxBackoff, Duration writeTimeout, OnFull onFull) {
    this.batchSize = batchSize;
    this.flushInterval = flushInterval;
    this.retryInitialBackoff = retryInitialBackoff;
    this.retryMaxBackoff = retryMaxBackoff;
    this.writeTimeout = writeTimeout;
    this.onFull = onFull;
  }

  public static ChannelSettings defaults() {
    return DEFAULTS;
  }

  public int batchSize() {
    return batchSize;
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public Duration retryInitialBackoff() {
    return retryInitialBackoff;
  }

  public Duration retryMaxBackoff() {
    return retryMaxBackoff;
  }

  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** This backend's full-journal policy, or null for the dispatcher's ({@code dispatcher.journal.on-full}). */
  public OnFull onFull() {
    return onFull;
  }

  public ChannelSettings withBatchSize(int value) {
    return new ChannelSettings(positive(value, "batchSize"), flushInterval, retryInitialBackoff, retryMaxBackoff,
        writeTimeout, onFull);
  }

  public ChannelSettings withFlushInterval(Duration value) {
    return new ChannelSettings(batchSize, positive(value, "flushInterval"), retryInitialBackoff, retryMaxBackoff,
        writeTimeout, onFull);
  }

  public ChannelSettings withRetryBackoff(Duration initial, Duration max) {
    return new ChannelSettings(batchSize, flushInterval, positive(initial, "retryInitialBackoff"),
        positive(max, "retryMaxBackoff"), writeTimeout, onFull);
  }

  public ChannelSettings withWriteTimeout(Duration value) {
    return new ChannelSettings(batchSize, flushInterval, retryInitialBackoff, retryMaxBackoff,
        positive(value, "writeTimeout"), onFull);
  }

  public ChannelSettings withOnFull(OnFull value) {
    return new ChannelSettings(batchSize, flushInterval, retryInitialBackoff, retryMaxBackoff, writeTimeout,
        Objects.requireNonNull(value));
  }

  private static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be a positive integer but was " + value);
    }
    return value;
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration but was " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return "ChannelSettings{batch-size=" + batchSize + ", flush-interval=" + flushInterval + ", retry-backoff="
        + retryInitialBackoff + ".." + retryMaxBackoff + ", write-timeout=" + writeTimeout
        + (onFull == null ? "" : ", on-full=" + onFull.yamlName()) + "}";
  }
}
