package dev.trainlog.cli.importing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The clock an imported or followed run's backends get: the system's, until the run closes, when it
 * stops at the run's last event's wall time, so that the run ends when the trainer last wrote and
 * not when the import or the follower's idle wait happened to close it.
 */
final class ReplayClock extends Clock {

  private final Clock system;
  private volatile long endMillis = -1;

  ReplayClock(Clock system) {
    this.system = system;
  }

  /** From now on the time is {@code millis}: the last event's wall time, set just before the run closes. */
  void endAt(long millis) {
    endMillis = millis;
  }

  @Override
  public long millis() {
    long end = endMillis;
    return end >= 0 ? end : system.millis();
  }

  @Override
  public Instant instant() {
    long end = endMillis;
    return end >= 0 ? Instant.ofEpochMilli(end) : system.instant();
  }

  /** The system clock's zone; a zone changes no instant, which is all the backends read. */
  @Override
  public ZoneId getZone() {
    return system.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
