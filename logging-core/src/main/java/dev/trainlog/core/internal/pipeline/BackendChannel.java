package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.internal.journal.UndecodableRecordException;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.spi.LogBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend's reader of the journal: a daemon worker that reads records in order from its
 * cursor, applies the backend's sampler, batches, writes with retries and a per-write timeout, and
 * persists its cursor once a batch is written. The worker alone owns the reading state; this class
 * only starts it, asks it to flush or stop, and reads its counters. All pipeline timing (flush
 * interval, backoff, write timeout) reads the injected clock.
 */
public final class BackendChannel {

  private static final Logger log = LoggerFactory.getLogger(BackendChannel.class);

  /** How long {@link #close} waits past its deadline for a worker told to abort: {@value} ms. */
  public static final long CLOSE_GRACE_MILLIS = 2000;

  private final String name;
  private final LogBackend backend;
  private final ChannelSettings settings;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final Worker worker;
  private final Thread thread;
  private final ReaderRequests requests;
  private volatile long toRead;

  /**
   * A reader of {@code sources} in order (journals left by processes that are gone first, the live
   * one last) for {@code backend}; {@code toRead} is how many records they hold beyond the live head.
   */
  /** The worker's gate, asked only {@link Gate#wants}, which is safe from any thread. */
  private final Gate sampling;

  public BackendChannel(String name, LogBackend backend, Gate gate, ChannelSettings settings, List<Source> sources,
      DeadLetters deadLetters, Clock clock, long toRead) {
    this.name = name;
    this.backend = backend;
    this.settings = settings;
    this.clock = clock;
    this.toRead = toRead;
    this.deadLetters = deadLetters;
    this.requests = new ReaderRequests(clock);
    this.worker = new Worker(gate, sources);
    this.sampling = gate;
    this.thread = new Thread(worker, "trainlog-" + name);
    this.thread.setDaemon(true);
  }

  public String name() {
    return name;
  }

  public void start() {
    thread.start();
  }

  /**
   * Waits until this backend wrote and flushed everything up to {@code headPosition} of the live
   * journal; false when {@code timeout} passed first (the records stay in the journal).
   */
  public boolean flush(long headPosition, Duration timeout) {
    return requests.flush(headPosition, timeout, () -> worker.flushedTo(headPosition), thread::isAlive);
  }

  /**
   * Lets the worker read to the journal's head, emit what the sampler still folds as one record
   * numbered {@code sequence}, write it all and close the backend with {@code status}, waiting until
   * {@code deadlineNanos} (then a short grace for a worker told to abort). What is not delivered stays
   * in the journal. Returns whether everything was delivered.
   */
  public boolean close(RunStatus runStatus, long deadlineNanos, long sequence) {
    requests.stop(runStatus, sequence);
    try {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      if (thread.isAlive()) {
        requests.abort();
        thread.join(CLOSE_GRACE_MILLIS);
        if (thread.isAlive()) {
          // a backend stuck in a call: interrupting may end it; its cursor keeps what it had not written
          thread.interrupt();
          log.error("Backend '{}' did not finish within the close timeout; what it had not written stays in the"
              + " journal", name);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return worker.deliveredAll;
  }

  /** Whether this backend's sampler would keep {@code key} at {@code step} ({@code dispatcher.wants}). */
  public boolean wants(String key, long step, long nowMillis, boolean image) {
    return sampling.wants(key, step, nowMillis, image);
  }

  /** Queues a finite source (a resend) to be delivered after the current batch, past the sampler. */
  public void resend(Source source, long records) {
    toRead += records;
    worker.sources.resend(source);
    requests.wake();
  }

  /** Where this backend's records refused for good are kept (counted in {@code stats().failed()}). */
  public java.nio.file.Path deadLetterDirectory() {
    return deadLetters.directory();
  }

  /** Lets go of {@code dir} if it is this backend's dead-letter directory, for a resend from it. */
  public void releaseDeadLetters(java.nio.file.Path dir) throws java.io.IOException {
    deadLetters.release(dir);
  }

  /** Called by the watchdog: interrupts a {@code write} that has taken longer than the write timeout. */
  public void checkWriteTimeout(long nowMillis) {
    worker.calls.checkWriteTimeout(nowMillis);
  }

  /** Called by the watchdog in {@code durability: fsync} mode. */
  public void forceCursors() {
    worker.forceCursor();
  }

  public BackendStats stats() {
    return worker.stats();
  }

  /** The worker: the one thread that reads the journal for this backend and talks to it. */
  private final class Worker implements Runnable {

    private final GuardedGate gate;
    private final Sources sources;
    private final BackendCalls calls;
    private final List<LogRecord> batch = new ArrayList<>();
    private long batchSince;
    private long lastBackendFlush;

    // read by other threads
    volatile boolean deliveredAll;
    private volatile long accepted;
    private volatile long sampledOut;
    private volatile int queued;
    private volatile long undecodable;

    Worker(Gate gate, List<Source> sources) {
      this.gate = new GuardedGate(name, gate);
      this.sources = new Sources(sources);
      this.calls = new BackendCalls(name, backend, settings, clock, deadLetters, requests::sleepUntil);
    }

    @Override
    public void run() {
      lastBackendFlush = clock.millis();
      try {
        while (true) {
          try {
            if (calls.open()) {
              loop();
            }
            return;
          } catch (RuntimeException | Error e) {
            // a fault of this loop, not of the backend: what was read is read again after a pause
            log.error("Backend '{}': its reader failed unexpectedly ({}); going on after a pause", name,
                Secrets.redactText(e.toString()));
            if (!calls.pauseAfterFault()) {
              return;
            }
          }
        }
      } finally {
        finish();
      }
    }

    private void loop() {
      while (!requests.aborted()) {
        Source src = sources.next(batch.isEmpty());
        boolean full = fill(src);
        if (full) {
          if (!deliver(src)) {
            return;
          }
          continue;
        }
        if (!src.live) {
          if (!finishSource(src)) {
            return;
          }
          continue;
        }
        boolean flushWanted = requests.flushWanted();
        long now = clock.millis();
        if (!batch.isEmpty()) {
          if (flushWanted || requests.stopping() || now - batchSince >= settings.flushInterval().toMillis()) {
            if (!deliver(src)) {
              return;
            }
            continue;
          }
          requests.await(batchSince + settings.flushInterval().toMillis());
          continue;
        }
        src.persist();
        if (requests.stopping()) {
          stop(src);
          return;
        }
        if (flushWanted) {
          flushBackend();
          requests.flushed(src.reader.position());
          continue;
        }
        if (now - lastBackendFlush >= settings.flushInterval().toMillis()) {
          flushBackend();
        }
        requests.await(now + settings.flushInterval().toMillis());
      }
    }

    /** Whether everything up to {@code head} of the live journal, and every queued resend, is written. */
    boolean flushedTo(long head) {
      return requests.flushedUpTo() >= head && sources.onLive();
    }

    /** Reads until a batch is full (true) or the source has nothing more now (false). */
    private boolean fill(Source src) {
      while (batch.size() < settings.batchSize()) {
        LogRecord r;
        try {
          r = src.reader.next();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        if (r == null) {
          return false;
        }
        accepted++;
        LogRecord kept;
        try {
          kept = src.sampled ? gate.offer(r) : GuardedGate.decoded(r);
        } catch (UndecodableRecordException e) {
          undecodable++; // counted with what this backend never gets (stats().dropped())
          log.warn("Backend '{}': record {} in {} does not decode ({}); it is skipped{}", name, r.id(),
              src.journal.directory(), e.getMessage(), keepUndecodable(r, e));
          continue;
        }
        if (kept == null) {
          sampledOut++;
        } else {
          if (batch.isEmpty()) {
            batchSince = clock.millis();
          }
          batch.add(kept);
          queued = batch.size();
        }
        if (!src.sampled || !gate.holdsPending()) {
          src.safe = src.reader.position();
        }
      }
      return true;
    }

    /** Keeps an undecodable record's bytes with the dead letters; says where, for the warning. */
    private String keepUndecodable(LogRecord r, UndecodableRecordException e) {
      try {
        java.nio.file.Path file = deadLetters.addUndecodable(r.id(), e.payload(), e.getMessage(),
            java.time.Instant.ofEpochMilli(clock.millis()));
        return file == null ? "" : " and its bytes kept in " + file;
      } catch (java.io.IOException | RuntimeException io) {
        return " (its bytes could not be kept: " + io + ")";
      }
    }

    /** A finished finite source: its sampler remainder is written, its cursor moved to its end. */
    private boolean finishSource(Source src) {
      if (!deliverToEnd(src, src.sampled ? src.journal.reserveSequence() : -1)) {
        return false;
      }
      sources.finished();
      try {
        src.done.delivered(src);
      } catch (RuntimeException e) {
        log.warn("Backend '{}': could not let go of {}: {}", name, src.journal.directory(), e.toString());
      }
      return true;
    }

    /** At close, with the live journal read to its head: the remainder, a flush, the backend closed. */
    private void stop(Source src) {
      if (deliverToEnd(src, requests.closeSequence())) {
        flushBackend();
        requests.flushed(src.reader.position());
        deliveredAll = true;
      }
    }

    /**
     * Writes what is batched and what the sampler still folds (numbered {@code sequence}; none when
     * negative), then moves the cursor to where the source was read to; false when aborted.
     */
    private boolean deliverToEnd(Source src, long sequence) {
      LogRecord rest = sequence < 0 ? null : gate.drain(sequence);
      if (rest != null) {
        batch.add(rest);
      }
      if (!batch.isEmpty() && !deliver(src)) {
        return false;
      }
      src.safe = src.reader.position();
      src.persist();
      return true;
    }

    /** Writes the batch (with retries, see {@link BackendCalls#write}) and persists the cursor; false when aborted. */
    private boolean deliver(Source src) {
      if (!calls.write(new ArrayList<>(batch))) {
        return false;
      }
      batch.clear();
      queued = 0;
      src.persist();
      return true;
    }

    private void flushBackend() {
      lastBackendFlush = clock.millis();
      calls.flush();
    }

    private void finish() {
      sources.reportDrops();
      calls.close(requests.status(), requests::aborted);
      calls.releaseDeadLetters();
      requests.wake();
    }

    void forceCursor() {
      Source s = sources.current();
      if (s != null && s.cursor != null) {
        s.cursor.force();
      }
    }

    BackendStats stats() {
      Source s = sources.current();
      long behind = s == null || !s.live ? 0 : s.journal.bytesFrom(s.reader.position());
      long acc = accepted;
      return new BackendStats(name, acc, sampledOut, calls.written(), calls.retried(), behind,
          sources.dropped() + undecodable,
          calls.failed(), queued, Math.max(0, toRead + sources.liveAppended() - acc));
    }
  }
}
