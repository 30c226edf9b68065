package dev.trainlog.core.pipeline;

import dev.trainlog.api.Secrets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warnings about a channel's ongoing problems, at most one per problem per interval, never per record. */
final class ChannelReports {

  private static final Logger log = LoggerFactory.getLogger(ChannelWorker.class);

  /** Shortest time between two warnings about the same ongoing problem: 30 seconds. */
  static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Channel ch;
  private long lastFailureNanos;
  private long reportedDropped;
  private long lastDropNanos;

  ChannelReports(Channel channel) {
    this.ch = channel;
  }

  /** Records dropped since the last report, if any and the interval has passed (the first at once). */
  void drops(long now) {
    long dropped;
    long spillFailures;
    ch.lock.lock();
    try {
      dropped = ch.dropped;
      spillFailures = ch.spillFailures;
    } finally {
      ch.lock.unlock();
    }
    if (dropped > reportedDropped && (reportedDropped == 0 || now - lastDropNanos >= REPORT_INTERVAL_NANOS)) {
      log.warn("Backend '{}' dropped {} record(s) since the last report ({} in all; on-overflow: {}, queue-capacity: {}{})",
          ch.name, dropped - reportedDropped, dropped, ch.settings.onOverflow().yamlName(),
          ch.settings.queueCapacity(), spillFailures > 0 ? ", spool writes failed: " + spillFailures : "");
      reportedDropped = dropped;
      lastDropNanos = now;
    }
  }

  /** A failure for a log line, redacted: the message of an exception, the class and message of an {@link Error}. */
  static String describe(Throwable e) {
    return Secrets.redactText(e instanceof Error ? e.toString() : String.valueOf(e.getMessage()));
  }

  /** A failed call to the backend; {@code firstOfStreak} reports at once whatever the interval. */
  void failure(String what, Throwable e, boolean retryable, boolean firstOfStreak) {
    long now = System.nanoTime();
    if (lastFailureNanos == 0 || now - lastFailureNanos >= REPORT_INTERVAL_NANOS || firstOfStreak) {
      lastFailureNanos = now;
      log.warn("Backend '{}': {} ({}); {}", ch.name, what, describe(e),
          retryable ? "retrying with backoff, records wait in memory and the spool" : "not retryable");
    }
  }
}
