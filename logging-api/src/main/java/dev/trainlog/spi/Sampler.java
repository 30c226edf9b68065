package dev.trainlog.spi;

/**
 * Decides whether a backend keeps a step. Called on that backend's worker thread, one call at a time, for
 * each record the worker reads from the journal, never on the thread that logs: it may keep state without
 * locks, and should be cheap (no I/O, no allocation on the common path) so the worker keeps up.
 */
@FunctionalInterface
public interface Sampler {

  /**
   * Whether the record of {@code step}, logged at {@code timestampMillis}, is kept. Forced records and,
   * unless {@code non-finite: sample}, records holding NaN or ±Infinity never reach this method: they are
   * always kept.
   */
  boolean shouldLog(long step, long timestampMillis);
}
