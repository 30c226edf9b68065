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
  private long reportedDropped;
  private long lastDropMillis;

  ChannelReports(String name) {
    this.name = name;
  }

  /** Records dropped since the last report, if any and the interval has passed (the first at once). */
  void drops(long nowMillis, long dropped) {
    if (dropped > reportedDropped && (reportedDropped == 0 || nowMillis - lastDropMillis >= REPORT_INTERVAL_MILLIS)) {
      log.warn("Backend '{}' lagged past the journal's max-size and gave up {} record(s) since the last report ({} in"
          + " all; dispatcher.journal.on-full: drop-oldest)", name, dropped - reportedDropped, dropped);
      reportedDropped = dropped;
      lastDropMillis = nowMillis;
    }
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
