package dev.trainlog.core;

import dev.trainlog.core.spec.StepRegressionPolicy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a step may be logged after the steps logged before it: a step lower than the highest so far
 * (a resume from a checkpoint) is accepted, accepted with one warning, or refused and counted, as
 * {@code dispatcher.on-step-regression} says. Thread-safe.
 */
final class StepOrder {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private final StepRegressionPolicy policy;
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile long highest = Long.MIN_VALUE;

  /** {@code highestBefore}: the highest step a resumed run logged in earlier processes ({@link Long#MIN_VALUE}: none). */
  StepOrder(StepRegressionPolicy policy, long highestBefore) {
    this.policy = policy;
    this.highest = highestBefore;
  }

  /** Whether {@code step} is logged; it becomes the highest step when it is above it. */
  boolean admit(long step) {
    if (step < highest && !mayGoBack(step)) {
      return false;
    }
    if (step > highest) {
      highest = step;
    }
    return true;
  }

  /**
   * Notes a replayed step (an import or a follow), which the policy does not apply to: its order is its
   * source's, and importing a directory again replays from the start what a run's journal went past.
   */
  void replayed(long step) {
    if (step > highest) {
      highest = step;
    }
  }

  /** The highest step admitted so far ({@link Long#MIN_VALUE}: none): what system metrics are stamped with. */
  long highest() {
    return highest;
  }

  /** Steps refused for going back ({@code stats().rejectedSteps()}). */
  long rejected() {
    return rejected.get();
  }

  private boolean mayGoBack(long step) {
    switch (policy) {
      case ACCEPT:
        return true;
      case WARN:
        if (warned.compareAndSet(false, true)) {
          log.warn("Step {} is lower than step {} logged before (a resume from a checkpoint?); accepted. Set"
              + " dispatcher.on-step-regression to accept to silence this, or reject to refuse such steps", step,
              highest);
        }
        return true;
      default:
        rejected.incrementAndGet();
        if (warned.compareAndSet(false, true)) {
          log.warn("Step {} is lower than step {} logged before; refused (dispatcher.on-step-regression: reject)."
              + " Refused steps are counted in stats().rejectedSteps()", step, highest);
        }
        return false;
    }
  }
}
