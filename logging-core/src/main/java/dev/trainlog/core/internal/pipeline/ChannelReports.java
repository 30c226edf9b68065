package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.Secrets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warnings about one backend's ongoing problems, at most one per problem per interval, never per record. */
final class ChannelReports {

  private static final Logger log = LoggerFactory.getLogger(BackendChannel.class);

  /** Shortest time between two warnings about the same ongoing problem: 30 seconds. */
  static final long REPORT_INTERVAL_MILLIS = TimeUnit.SECONDS.toMillis(30);

  private final String name;
  private long lastFailureNanos;

  ChannelReports(String name) {
    this.name = name;
  }

  /** A failure for a log line, redacted: the message of an exception, the class and message of an {@link Error}. */
  static String describe(Throwable e) {
    return Secrets.redactText(e instanceof Error ? e.toString() : String.valueOf(e.getMessage()));
  }

  /** A failed call to the backend; {@code firstOfStreak} reports at once whatever the interval. */
  void failure(String what, Throwable e, boolean retryable, boolean firstOfStreak) {
    long now = System.nanoTime();
    if (lastFailureNanos == 0 || now - lastFailureNanos >= TimeUnit.MILLISECONDS.toNanos(REPORT_INTERVAL_MILLIS)
        || firstOfStreak) {
      lastFailureNanos = now;
      log.warn("Backend '{}': {} ({}); {}", name, what, describe(e),
          retryable ? "retrying with backoff, its records wait in the journal" : "not retryable");
    }
  }
}
