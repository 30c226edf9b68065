package dev.trainlog.core.spec;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a dispatcher does when neither the builder nor the YAML {@code dispatcher:} section says otherwise.
 * Both read these constants, so code and configuration always agree on them.
 */
public final class DispatcherDefaults {

  /** Where journals live, relative to the working directory; a run's is {@code <dir>/<run-id>-rank<r>}. */
  public static final Path JOURNAL_DIR = Path.of(".trainlog", "journal");

  /** Where records that a backend refused for good are kept for inspection and resending. */
  public static final Path DEAD_LETTER_DIR = Path.of(".trainlog", "dead-letter");

  /** What a logged record survives by default: a killed process. */
  public static final Durability DURABILITY = Durability.PROCESS;

  /** How often {@code durability: fsync} forces the journal to the device: 1 second. */
  public static final Duration FSYNC_INTERVAL = Duration.ofSeconds(1);

  /** The largest image {@code image()} accepts: {@value} bytes (20 MB); larger ones are refused on the caller. */
  public static final long MAX_IMAGE_SIZE = 20_000_000L;

  /** How large the journal may grow while a backend lags: {@value} bytes (2 GiB). */
  public static final long JOURNAL_MAX_SIZE = 2L << 30;

  /** Bytes per journal segment file: {@value} (64 MiB), sparse until written. */
  public static final int SEGMENT_SIZE = 64 << 20;

  /** What a backend lagging past the max size does by default: it drops the oldest records, counted. */
  public static final OnFull ON_FULL = OnFull.DROP_OLDEST;

  /** Whether a JVM shutdown hook closes the dispatcher, so a terminated run still flushes: {@value}. */
  public static final boolean SHUTDOWN_HOOK = true;

  /** A step lower than one already logged is logged with a warning. */
  public static final StepRegressionPolicy ON_STEP_REGRESSION = StepRegressionPolicy.WARN;

  /** Longest {@code close()} waits for every backend to drain and close: 30 seconds. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private DispatcherDefaults() {}
}
