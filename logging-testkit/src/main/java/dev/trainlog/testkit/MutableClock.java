package dev.trainlog.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when the test says so. Give it to a dispatcher ({@code
 * builder.clock(clock)}) or a backend, and timers that read it (flush interval, backoff, write
 * timeout, heartbeats) fire when the test advances it instead of after real time.
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;

  /** A clock at {@link TestRecords#START_MILLIS}. */
  public MutableClock() {
    this(Instant.ofEpochMilli(TestRecords.START_MILLIS));
  }

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
