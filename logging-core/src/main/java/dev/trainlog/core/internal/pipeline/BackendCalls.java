package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call a worker makes to its backend, with what surrounds it: retries with backoff (at least a
 * failure's retry-after hint), the write timeout, dead letters for records refused for good, and the
 * counters of what was written. Used by the backend's worker thread only; {@link
 * #checkWriteTimeout} is the one method the watchdog calls.
 */
final class BackendCalls {

  private static final Logger log = LoggerFactory.getLogger(BackendChannel.class);

  /** Waits until a time of the reader's clock; false when the reader was told to abort meanwhile. */
  @FunctionalInterface
  interface Pause {
    boolean until(long clockMillis);
  }

  private final String name;
  private final LogBackend backend;
  private final ChannelSettings settings;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final Pause pause;
  private final Backoff backoff;
  private final ChannelReports reports;
  private boolean opened;
  private Throwable openRefusal;
  private volatile Thread writer;
  /** Held by the watchdog from its look at {@link #writeStarted} to its interrupt, and by a write to end. */
  private final Object writeEnd = new Object();
  private volatile long writeStarted = -1;
  private volatile boolean timedOut;
  /** Worker thread only; the worker publishes them in its snapshot whenever {@link #counted} runs. */
  private long written;
  private long retried;
  private long failed;
  private Runnable counted = () -> { };

  BackendCalls(String name, LogBackend backend, ChannelSettings settings, Clock clock, DeadLetters deadLetters,
      Pause pause) {
    this.name = name;
    this.backend = backend;
    this.settings = settings;
    this.clock = clock;
    this.deadLetters = deadLetters;
    this.pause = pause;
    this.backoff = new Backoff(settings.retryInitialBackoff(), settings.retryMaxBackoff(),
        () -> ThreadLocalRandom.current().nextDouble());
    this.reports = new ChannelReports(name);
  }

  ChannelReports reports() {
    return reports;
  }

  /** Runs {@code action} on the worker thread after each change of the counters. */
  void onCounted(Runnable action) {
    this.counted = action;
  }

  long written() {
    return written;
  }

  long retried() {
    return retried;
  }

  long failed() {
    return failed;
  }

  /**
   * Opens the backend, retrying while it fails; false when aborted first. A backend that cannot open
   * for good (a refused login) counts as open: what it would have written goes to the dead letters.
   */
  boolean open() {
    while (!opened) {
      try {
        backend.open();
        opened = true;
        backoff.reset();
      } catch (Exception | Error e) {
        if (!isRetryable(e)) {
          openRefusal = e;
          opened = true;
          log.error("Backend '{}' could not open and will not be tried again ({}); its records go to the dead"
              + " letters in {}", name, ChannelReports.describe(e), deadLetters.directory());
          Unheard.sayError("open:" + name, "backend '" + name + "' refused to open: " + ChannelReports.describe(e));
          return true;
        }
        reports.failure("could not open", e, true, backoff.failures() == 0);
        Unheard.say("open:" + name, "backend '" + name + "' could not open: " + ChannelReports.describe(e)
            + "; its records wait in the journal");
        if (!pauseAfter(e)) {
          return false;
        }
      }
    }
    return true;
  }

  private List<LogRecord> unwrittenAtAbort = List.of();

  /** Writes {@code batch} until it is written or refused for good; false when aborted meanwhile. */
  boolean write(List<LogRecord> batch) {
    List<LogRecord> records = batch;
    if (openRefusal != null) {
      deadLetter(records, openRefusal);
      return true;
    }
    while (!records.isEmpty()) {
      try {
        timedWrite(records);
        written += records.size();
        counted.run();
        break;
      } catch (Exception | Error e) {
        boolean retryable = timedOut || isRetryable(e);
        List<LogRecord> failedOnes = failedSubset(e, records);
        written += records.size() - failedOnes.size();
        List<LogRecord> rest = withoutGoneFiles(failedOnes, e);
        if (rest.isEmpty()) {
          break;
        }
        if (rest.size() < failedOnes.size()) {
          records = rest; // a record's file was gone or damaged, the cause however the backend calls it: the rest again
          retried++;
          counted.run();
          continue;
        }
        if (!retryable) {
          deadLetter(failedOnes, e);
          break;
        }
        records = rest;
        retried++;
        counted.run();
        String what = timedOut ? "write timed out after " + settings.writeTimeout().toMillis() + " ms" : "write failed";
        reports.failure(what, e, true, backoff.failures() == 0);
        if (!pauseAfter(e)) {
          unwrittenAtAbort = records;
          return false;
        }
      }
    }
    backoff.reset();
    return true;
  }

  /**
   * The records of the write that {@link #write} gave up when aborted: neither written nor kept as dead letters
   * (those before them in its batch were, or refused, or kept for a gone file).
   */
  List<LogRecord> unwrittenAtAbort() {
    return unwrittenAtAbort;
  }

  /** {@code records} less those naming a file gone from the journal, which become dead letters now. */
  private List<LogRecord> withoutGoneFiles(List<LogRecord> records, Throwable failure) {
    if (!GoneFiles.suspected(failure)) {
      return records;
    }
    List<LogRecord> kept = new ArrayList<>(records.size());
    List<LogRecord> gone = new ArrayList<>();
    String example = null;
    boolean damaged = false;
    for (LogRecord r : records) {
      String missing = GoneFiles.missing(r);
      if (missing == null) {
        kept.add(r);
      } else {
        gone.add(GoneFiles.withoutGone(r)); // the rest of the record is kept, resendable
        example = example == null ? missing : example;
        damaged |= missing.endsWith(GoneFiles.DAMAGED);
      }
    }
    if (!gone.isEmpty()) {
      deadLetter(gone, new java.io.FileNotFoundException(gone.size() + " record(s) name a file no longer in the"
          + " journal" + (damaged ? " or damaged" : "") + " (" + example + "); no retry can bring it back, kept"
          + " without it"));
    }
    return kept;
  }

  private void timedWrite(List<LogRecord> records) throws Exception {
    timedOut = false;
    writer = Thread.currentThread();
    writeStarted = clock.millis();
    try {
      backend.write(records);
    } finally {
      synchronized (writeEnd) {
        writeStarted = -1; // from here on the watchdog leaves this thread alone
      }
      if (timedOut) {
        Thread.interrupted(); // the watchdog's interrupt is spent; it must not end a later wait
      }
    }
  }

  /**
   * From the watchdog: interrupts a write that has taken longer than the write timeout. The write looked at is
   * still the one running when it is interrupted (both under {@link #writeEnd}): an interrupt sent once it had
   * ended hit the worker's next write, begun a moment before, or whatever it waited on next.
   */
  void checkWriteTimeout(long now) {
    synchronized (writeEnd) {
      long started = writeStarted;
      Thread t = writer;
      if (started < 0 || t == null || timedOut || now - started < settings.writeTimeout().toMillis()) {
        return;
      }
      timedOut = true;
      t.interrupt();
    }
    log.warn("Backend '{}': a write has taken longer than write-timeout ({} ms); interrupting it, the batch is"
        + " retried", name, settings.writeTimeout().toMillis());
  }

  void flush() {
    if (!opened || openRefusal != null) {
      return;
    }
    try {
      backend.flush();
    } catch (Exception | Error e) {
      reports.failure("flush failed", e, isRetryable(e), false);
    }
  }

  /**
   * Tells the backend how the run of a journal left behind ended, once its records are written; a failure is
   * warned about and not retried (the records are there; the run keeps the status the backend gave it).
   */
  void otherRunEnded(dev.trainlog.api.RunInfo run, RunStatus status, long endTimeMillis) {
    if (!opened || openRefusal != null) {
      return;
    }
    try {
      backend.otherRunEnded(run, status, endTimeMillis);
    } catch (Exception | Error e) {
      log.warn("Backend '{}': could not record that run {} (rank {}) ended {} ({}); its records are written", name,
          run.runId(), run.rank(), status, e.toString());
    }
  }

  /**
   * Closes the backend with the run's status; a retryable failure is tried again until {@code aborted}. True when
   * its close returned (or it has nothing to close: never opened, or refused to): the status reached its store.
   */
  boolean close(RunStatus status, java.util.function.BooleanSupplier aborted) {
    if (!opened || openRefusal != null) {
      return true;
    }
    while (true) {
      try {
        backend.close(status);
        return true;
      } catch (Exception | Error e) {
        boolean again = !aborted.getAsBoolean() && isRetryable(e);
        reports.failure("close failed", e, again, backoff.failures() == 0);
        if (!again || !pauseAfter(e)) {
          return false;
        }
      }
    }
  }

  /** The backoff pause after a fault of the reader itself; false when aborted meanwhile. */
  boolean pauseAfterFault() {
    return pauseAfter(null);
  }

  /** Waits out a backoff, at least a retry-after hint the failure carries; false when aborted meanwhile. */
  private boolean pauseAfter(Throwable failure) {
    long millis = TimeUnit.NANOSECONDS.toMillis(backoff.nextDelayNanos());
    if (failure instanceof BackendException) {
      millis = Math.max(millis, ((BackendException) failure).retryAfter().map(Duration::toMillis).orElse(0L));
    }
    return pause.until(clock.millis() + millis);
  }

  /**
   * What the backend says of {@code e}. An {@link Error} is retried without asking, and so is any
   * failure the backend's own check throws on: records stay in the journal until it recovers.
   */
  private boolean isRetryable(Throwable e) {
    if (!(e instanceof Exception)) {
      return true;
    }
    try {
      return backend.isRetryable((Exception) e);
    } catch (RuntimeException | Error bug) {
      return true;
    }
  }

  private static List<LogRecord> failedSubset(Throwable e, List<LogRecord> records) {
    if (e instanceof BackendException && !((BackendException) e).failedRecords().isEmpty()) {
      return ((BackendException) e).failedRecords();
    }
    return records;
  }

  private void deadLetter(List<LogRecord> records, Throwable e) {
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (keep(records, reason)) {
      log.error("Backend '{}' refused {} record(s) for good ({}); kept in {}", name, records.size(),
          Secrets.redactText(reason), deadLetters.directory());
    }
  }

  /**
   * At an abort: {@code records} were read and held for a write that never succeeded, and the journal gave up
   * their place meanwhile (drop-oldest), so the next process cannot read them again: kept as dead letters.
   */
  void keepGivenUp(List<LogRecord> records) {
    if (keep(records, "unwritten when the run closed, and the journal had given their place up"
        + " (dispatcher.journal.on-full: drop-oldest)")) {
      log.warn("Backend '{}': {} record(s) its worker held for a write that never succeeded, whose place the journal"
          + " gave up past max-size, are kept as dead letters in {}", name, records.size(), deadLetters.directory());
    }
  }

  /** Adds {@code records} to the dead letters with {@code reason}, counted as failed; false when that failed too. */
  private boolean keep(List<LogRecord> records, String reason) {
    boolean kept = false;
    try {
      deadLetters.add(records, reason, clock.instant());
      kept = true;
    } catch (Exception io) {
      log.error("Backend '{}' could not write {} record(s) ({}) and the dead-letter directory {} failed too: {}", name,
          records.size(), Secrets.redactText(reason), deadLetters.directory(), io.toString());
    }
    failed += records.size();
    counted.run();
    return kept;
  }

  /** Lets go of the dead-letter directory; the backend itself is closed by {@link #close}. */
  void releaseDeadLetters() {
    try {
      deadLetters.close();
    } catch (IOException e) {
      log.warn("Backend '{}': could not close its dead-letter directory: {}", name, e.toString());
    }
  }
}
