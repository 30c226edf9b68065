package dev.trainlog.core;

import dev.trainlog.api.RunInfo;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records whose {@code log()} returned without logging them (or, in a second instance, images and artifacts left
 * out of their records because the journal could not store them): counted for {@code stats().refused()},
 * warned about at the first and then at most once a minute with how many followed, so that a full
 * disk or a closed dispatcher never loses records in silence nor floods the log. Thread-safe.
 */
final class Refusals {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  /** The least time between two warnings: {@value} ms. */
  static final long WARN_INTERVAL_MILLIS = 60_000;

  private final RunInfo run;
  private final Clock clock;
  /** What is refused, as the warnings name it: "a record was not logged", "record(s) not logged", ... */
  private final String one;
  private final String such;
  private final String some;
  private final String counter;
  private final AtomicLong total = new AtomicLong();
  // guarded by this
  private long unreported;
  private long lastWarned = Long.MIN_VALUE;

  /** Records refused, counted in {@code stats().refused()}. */
  Refusals(RunInfo run, Clock clock) {
    this(run, clock, "a record was not logged", "such records are", "record(s) not logged", "stats().refused()");
  }

  /**
   * Refusals of something else, warned about as "{@code one} (why); {@code such} counted in {@code counter}" and
   * later "N {@code some} since the last warning".
   */
  Refusals(RunInfo run, Clock clock, String one, String such, String some, String counter) {
    this.run = run;
    this.clock = clock;
    this.one = one;
    this.such = such;
    this.some = some;
    this.counter = counter;
  }

  void refuse(String why) {
    total.incrementAndGet();
    long now = clock.millis();
    synchronized (this) {
      unreported++;
      if (lastWarned == Long.MIN_VALUE) {
        log.warn("TrainLog dispatcher for {}/{}: {} ({}); {} counted in {} and warned about once a minute",
            run.experiment(), run.runName(), one, why, such, counter);
      } else if (now - lastWarned >= WARN_INTERVAL_MILLIS) {
        log.warn("TrainLog dispatcher for {}/{}: {} {} since the last warning ({}); {} in all",
            run.experiment(), run.runName(), unreported, some, why, total.get());
      } else {
        return;
      }
      unreported = 0;
      lastWarned = now;
    }
  }

  /** After the shutdown hook closed the run: names the records refused since {@code before}, and the remedy. */
  void reportShutdown(long before) {
    long refused = total.get() - before;
    if (refused > 0) {
      log.warn("TrainLog dispatcher for {}/{}: {} record(s) logged while the JVM shut down were refused (counted in"
          + " stats().refused()); to keep a loop's last steps on SIGTERM, log them in dispatcher.beforeShutdown(..)",
          run.experiment(), run.runName(), refused);
    }
  }

  long count() {
    return total.get();
  }
}
