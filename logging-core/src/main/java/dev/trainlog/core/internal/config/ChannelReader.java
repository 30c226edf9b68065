package dev.trainlog.core.internal.config;

import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the channel keys of {@code defaults:} or of one backend on top of inherited settings. */
final class ChannelReader {

  private static final Logger log = LoggerFactory.getLogger(ChannelReader.class);

  /** The channel settings, as written in YAML; the last two are accepted, deprecated, from before the journal. */
  static final List<String> KEYS = List.of("batch-size", "flush-interval", "retry-initial-backoff",
      "retry-max-backoff", "write-timeout", "on-full", "queue-capacity", "on-overflow");

  private static final List<String> ON_FULL = List.of("drop-oldest", "block");
  private static final List<String> ON_OVERFLOW = List.of("spill", "block", "drop-newest", "drop-oldest");

  private ChannelReader() {}

  /** {@code base} with every channel key present in {@code r} applied; bad values keep the inherited one. */
  static ChannelSettings read(SectionReader r, ChannelSettings base, ProblemList problems) {
    ChannelSettings s = base
        .withBatchSize(r.positiveInt("batch-size", base.batchSize()))
        .withFlushInterval(r.positiveDuration("flush-interval", base.flushInterval()))
        .withWriteTimeout(r.positiveDuration("write-timeout", base.writeTimeout()));
    OnFull onFull = r.oneOf("on-full", base.onFull(), OnFull::fromYaml, ON_FULL);
    r.deprecated("queue-capacity", "records wait in the journal on disk, not in a queue in memory");
    r.positiveInt("queue-capacity", 1); // its value is still checked, as it always was
    String overflow = r.oneOf("on-overflow", null, v -> ON_OVERFLOW.contains(v) ? v : null, ON_OVERFLOW);
    if (overflow != null) {
      OnFull mapped = overflow.equals("block") ? OnFull.BLOCK : OnFull.DROP_OLDEST;
      log.warn("`{}: {}` is deprecated: every record goes to the journal first; read as `on-full: {}`, which applies"
          + " when the journal reaches dispatcher.journal.max-size", r.key("on-overflow"), overflow,
          overflow.equals("spill") ? "(the dispatcher's)" : mapped.yamlName());
      if (!overflow.equals("spill") && !r.has("on-full")) {
        onFull = mapped;
      }
    }
    if (onFull != null) {
      s = s.withOnFull(onFull);
    }
    Duration initial = r.positiveDuration("retry-initial-backoff", base.retryInitialBackoff());
    Duration max = r.positiveDuration("retry-max-backoff", base.retryMaxBackoff());
    if (max.compareTo(initial) < 0) {
      String key = r.has("retry-max-backoff") ? r.key("retry-max-backoff") : r.key("retry-initial-backoff");
      Object shown = r.has("retry-max-backoff") ? r.raw("retry-max-backoff") : r.raw("retry-initial-backoff");
      String requirement = r.has("retry-max-backoff")
          ? "at least retry-initial-backoff (" + Durations.format(initial) + ")"
          : "at most retry-max-backoff (" + Durations.format(max) + ")";
      problems.invalid(key, shown, requirement);
      return s.withRetryBackoff(base.retryInitialBackoff(), base.retryMaxBackoff());
    }
    return s.withRetryBackoff(initial, max);
  }
}
