package dev.trainlog.query.spec;

import java.time.Instant;

/**
 * How often {@code check} fired over the stored points of a run: {@code count} steps, the first at
 * {@code firstStep} (logged at {@code firstTime}, with {@code firstValue}) and the last at {@code lastStep};
 * the step fields are null when it never fired.
 */
public record AlertFired(AlertCheck check, long count, Long firstStep, Instant firstTime, Double firstValue,
    Long lastStep) {

  /** Whether the rule fired at least once. */
  public boolean fired() {
    return count > 0;
  }
}
