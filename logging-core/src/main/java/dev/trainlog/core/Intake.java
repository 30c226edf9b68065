package dev.trainlog.core;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.system.SystemSampler;
import dev.trainlog.core.spec.StepRegressionPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code log()} does on the calling thread: normalise the values, hold the step order, number
 * imported steps in order, append the record to the journal once, and refuse (counted, named) what
 * comes after close. Thread-safe.
 */
final class Intake {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private final RunInfo run;
  private final Journal journal;
  private final Clock clock;
  private final StepOrder stepOrder;
  private final MetricsNormalizer normalizer = new MetricsNormalizer();
  private final AtomicLong logged = new AtomicLong();
  private final Refusals refusals;
  /** The highest sequence given to an imported record (or taken by close after an import), or -1. */
  private final AtomicLong highestImported = new AtomicLong(-1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean shuttingDown;
  private volatile SystemSampler systemSampler;
  /** How long a close waits for the system metrics' last reading. */
  private static final Duration LAST_READING_WAIT = Duration.ofSeconds(2);
  private volatile boolean takingLastReading;

  /** {@code journal} null: a dispatcher without backends, which counts and drops. */
  Intake(RunInfo run, Journal journal, Clock clock, StepRegressionPolicy onStepRegression) {
    this.run = run;
    this.journal = journal;
    this.clock = clock;
    this.stepOrder = new StepOrder(onStepRegression, journal == null ? Long.MIN_VALUE : journal.highestStep());
    this.refusals = new Refusals(run, clock);
  }

  void log(long step, Map<String, ?> metrics, boolean force) {
    submit(step, -1, -1, normalizer.normalize(step, metrics), force, false);
  }

  /** A record the step builder made: normalised only when {@code normal} is false. */
  void logBuilt(long step, MetricMap metrics, boolean normal, boolean force) {
    submit(step, -1, -1, normal ? metrics : normalizer.normalize(step, metrics), force, false);
  }

  /** See {@link LogDispatcher#logImported}: a sequence already taken is raised to the next free one. */
  void logImported(long step, long wallTimeMillis, long sequenceNumber, Map<String, ?> metrics) {
    long sequence = highestImported.accumulateAndGet(sequenceNumber, (last, given) -> Math.max(given, last + 1));
    submit(step, sequence, wallTimeMillis, normalizer.normalize(step, metrics), false, true);
  }

  long lastImportedSequence() {
    return highestImported.get();
  }

  void continueImportAfter(long sequence) {
    highestImported.accumulateAndGet(sequence, Math::max);
  }

  /** Starts the system-metrics thread, whose readings {@link #logSystem} appends. */
  void startSystemMetrics(Duration interval, Path journalDir) {
    systemSampler = SystemSampler.start(interval, journalDir, System.getenv(), this::logSystem);
  }

  /**
   * Stops intake: the system-metrics thread stops and the journal refuses what is logged from now on;
   * false when it was stopped already.
   */
  boolean close() {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    SystemSampler sampler = systemSampler;
    if (sampler != null) {
      takingLastReading = true; // a run shorter than the interval still gets one reading
      try {
        sampler.closeWithLastReading(LAST_READING_WAIT);
      } finally {
        takingLastReading = false;
      }
    }
    if (journal != null) {
      journal.refuse();
    }
    return true;
  }

  /** Logs artifacts at the highest step logged so far (0 before any). */
  void logArtifacts(List<Artifact> artifacts) {
    MetricMap.Builder m = MetricMap.builder(artifacts.size());
    for (Artifact a : artifacts) {
      m.put(a.name(), a);
    }
    submit(journal == null ? 0 : Math.max(0, journal.highestStep()), -1, -1, m.build(), false, false);
  }

  boolean isClosed() {
    return closed.get();
  }

  /**
   * The sequence of what samplers still fold at close, after every logged record so that its id is its
   * own; an import's right after its highest imported sequence (and taken), so importing the same data
   * again adds nothing.
   */
  long closeSequence() {
    if (journal == null) {
      return 0;
    }
    long imported = highestImported.get();
    if (imported < 0) {
      return journal.reserveSequence();
    }
    highestImported.accumulateAndGet(imported + 1, Math::max);
    return imported + 1;
  }

  /** From the shutdown hook: records refused from now on are named as refused because the JVM shuts down. */
  void shuttingDown() {
    shuttingDown = true;
  }

  Refusals refusals() {
    return refusals;
  }

  long logged() {
    return logged.get();
  }

  long rejected() {
    return stepOrder.rejected();
  }

  private String closedReason() {
    return shuttingDown ? "logged after the JVM began to shut down (SIGTERM?) and closed the run"
        : "logged after close()";
  }

  /** A sequence or wall time of -1 is assigned here; a {@code replayed} step passes the step order unchecked. */
  private void submit(long step, long seq, long wallTime, Map<String, Object> values, boolean force,
      boolean replayed) {
    if (closed.get()) {
      refusals.refuse(closedReason());
      return;
    }
    if (replayed) {
      stepOrder.replayed(step);
    } else if (!stepOrder.admit(step)) {
      return;
    }
    if (journal == null) {
      logged.incrementAndGet();
      return;
    }
    try {
      if (journal.append(run, step, seq, wallTime < 0 ? clock.millis() : wallTime, force, values) < 0) {
        // a close that began between the check above and this append: the same cause, said the same way
        refusals.refuse(closedReason());
      } else {
        logged.incrementAndGet(); // a refused record is counted there alone, not as logged too
      }
    } catch (IOException | InternalError e) {
      // InternalError: a mapped page could not be written (the device is full)
      refusals.refuse("the journal in " + journal.directory() + " could not take it: " + e);
    }
  }

  /**
   * A system reading, stamped with the step logged last (0 before any) and the wall time now: it bypasses the
   * step order, which it neither advances nor regresses, and is not counted in {@code stats().logged()}.
   */
  void logSystem(Map<String, Object> metrics) {
    if ((closed.get() && !takingLastReading) || journal == null) {
      return;
    }
    long highest = stepOrder.highest();
    try {
      journal.append(run, highest == Long.MIN_VALUE ? 0 : highest, -1, clock.millis(), false, metrics);
    } catch (IOException | InternalError e) {
      // a journal that cannot take a reading refuses training steps too, and those are reported
      log.debug("TrainLog system metrics: the journal did not take a reading", e);
    }
  }
}
