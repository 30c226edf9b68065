package dev.trainlog.core.internal.sampling;

/**
 * A built-in rule that can say, from any thread and without changing its state, whether it would keep a
 * step: what {@code dispatcher.wants(key, step)} asks.
 */
interface Predicting {

  /** Whether {@code step} would be kept if it were logged at {@code nowMillis}. */
  boolean wouldLog(long step, long nowMillis);

  /** What {@code sampler} would do; a rule that cannot say (a plugin's) is assumed to keep the step. */
  static boolean wouldLog(Object sampler, long step, long nowMillis) {
    return !(sampler instanceof Predicting p) || p.wouldLog(step, nowMillis);
  }
}
