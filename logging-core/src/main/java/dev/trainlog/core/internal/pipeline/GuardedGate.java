package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.internal.journal.HeaderCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's sampler as its reader applies it: a sampler that throws (a plugin's bug, a class
 * missing from its jar) keeps the record, since one record too many is better than one lost, and is
 * warned about once. Worker thread only.
 */
final class GuardedGate {

  private static final Logger log = LoggerFactory.getLogger(BackendChannel.class);

  private final String name;
  private final Gate gate;
  private long failures;

  GuardedGate(String name, Gate gate) {
    this.name = name;
    this.gate = gate;
  }

  /** What the backend gets of {@code record} (whose journal header says {@code flags}), or null when it skips it. */
  LogRecord offer(LogRecord record, int flags) {
    LogRecord kept;
    try {
      kept = gate.offer(record, flags);
    } catch (RuntimeException | LinkageError e) {
      if (failures++ == 0) {
        log.warn("Backend '{}': its sampler failed on step {} ({}); records it fails on are kept unsampled",
            name, record.step(), Secrets.redactText(e.toString()));
      }
      kept = record;
    }
    return kept;
  }

  /** What the sampler decides from a record's header ({@link Gate#decide}); a failing one looks at the record. */
  int decide(long step, long timestampMillis, int flags, boolean forced) {
    try {
      return gate.decide(step, timestampMillis, flags, forced);
    } catch (RuntimeException | LinkageError e) {
      return HeaderCheck.LOOK; // offer() then meets the same fault, keeps the record and warns
    }
  }

  /** Whether the sampler holds folded records: the reader's cursor is persisted only where it does not. */
  boolean holdsPending() {
    return gate.holdsPending();
  }

  /** What the sampler still folds, as one record numbered {@code sequence}; null when nothing (or it fails). */
  LogRecord drain(long sequence) {
    try {
      return gate.drainPending(sequence);
    } catch (RuntimeException | LinkageError e) {
      log.warn("Backend '{}': its sampler failed while emitting what it still folded ({}); that part is lost",
          name, Secrets.redactText(e.toString()));
      return null;
    }
  }
}
