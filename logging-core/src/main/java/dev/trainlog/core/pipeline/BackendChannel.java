package dev.trainlog.core.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunStatus;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.journal.LazyMetrics;
import dev.trainlog.spi.LogBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
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

  /** Longest a worker waits before it looks at the journal again: {@value} ms of real time. */
  static final long POLL_MILLIS = 20;

  private final String name;
  private final LogBackend backend;
  private final ChannelSettings settings;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final Worker worker;
  private final Thread thread;
  private final Object monitor = new Object();
  private final ConcurrentLinkedQueue<Source> resends = new ConcurrentLinkedQueue<>();

  // requests, written by other threads
  private volatile boolean stopping;
  private volatile boolean abort;
  private volatile RunStatus status = RunStatus.FINISHED;
  private volatile long closeSequence;
  private volatile long flushTarget = -1;
  private volatile long toRead;

  /**
   * A reader of {@code sources} in order (journals left by processes that are gone first, the live
   * one last) for {@code backend}; {@code toRead} is how many records they hold beyond the live head.
   */
  public BackendChannel(String name, LogBackend backend, Gate gate, ChannelSettings settings, List<Source> sources,
      DeadLetters deadLetters, Clock clock, long toRead) {
    this.name = name;
    this.backend = backend;
    this.settings = settings;
    this.clock = clock;
    this.toRead = toRead;
    this.deadLetters = deadLetters;
    this.worker = new Worker(gate, sources);
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
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      if (headPosition > flushTarget) {
        flushTarget = headPosition;
      }
      monitor.notifyAll();
      while (!worker.flushedTo(headPosition)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !thread.isAlive()) {
          return worker.flushedTo(headPosition);
        }
        try {
          monitor.wait(Math.min(left, POLL_MILLIS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Lets the worker read to the journal's head, emit what the sampler still folds as one record
   * numbered {@code sequence}, write it all and close the backend with {@code status}, waiting until
   * {@code deadlineNanos} (then a short grace for a worker told to abort). What is not delivered stays
   * in the journal. Returns whether everything was delivered.
   */
  public boolean close(RunStatus runStatus, long deadlineNanos, long sequence) {
    status = runStatus;
    closeSequence = sequence;
    stopping = true;
    wake();
    try {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      if (thread.isAlive()) {
        abort = true;
        wake();
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

  /** Queues a finite source (a resend) to be delivered after the current batch, past the sampler. */
  public void resend(Source source, long records) {
    toRead += records;
    resends.add(source);
    wake();
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

  private void wake() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /** The worker: the one thread that reads the journal for this backend and talks to it. */
  private final class Worker implements Runnable {

    private final Gate gate;
    private final ArrayDeque<Source> sources;
    private final Source live;
    private final BackendCalls calls;
    private final List<LogRecord> batch = new ArrayList<>();
    private long batchSince;
    private long lastBackendFlush;
    private long gateFailures;

    // read by other threads
    volatile long flushedUpTo = -1;
    volatile boolean deliveredAll;
    private volatile Source current;
    private volatile long accepted;
    private volatile long sampledOut;
    private volatile int queued;

    Worker(Gate gate, List<Source> sources) {
      this.gate = gate;
      this.sources = new ArrayDeque<>(sources);
      Source last = this.sources.peekLast();
      this.live = last != null && last.live ? last : null;
      this.calls = new BackendCalls(name, backend, settings, clock, deadLetters, this::sleepUntil);
      this.current = this.sources.peekFirst();
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
      while (!abort) {
        Source src = nextSource();
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
        boolean flushWanted = flushTarget > flushedUpTo;
        long now = clock.millis();
        if (!batch.isEmpty()) {
          if (flushWanted || stopping || now - batchSince >= settings.flushInterval().toMillis()) {
            if (!deliver(src)) {
              return;
            }
            continue;
          }
          await(batchSince + settings.flushInterval().toMillis());
          continue;
        }
        src.persist();
        if (stopping) {
          stop(src);
          return;
        }
        if (flushWanted) {
          flushBackend();
          flushed(src.reader.position());
          continue;
        }
        if (now - lastBackendFlush >= settings.flushInterval().toMillis()) {
          flushBackend();
        }
        calls.reports().drops(now, dropped());
        await(now + settings.flushInterval().toMillis());
      }
    }

    /** The source to read: a queued resend once the batch is empty, else the oldest unfinished journal. */
    private Source nextSource() {
      Source resend = batch.isEmpty() ? resends.peek() : null;
      if (resend != null) {
        current = resend; // before it leaves the queue, so that flush never sees it in neither place
        sources.addFirst(resend);
        resends.poll();
      }
      current = sources.peekFirst();
      return current;
    }

    /** Whether everything up to {@code head} of the live journal, and every queued resend, is written. */
    boolean flushedTo(long head) {
      Source c = current;
      return flushedUpTo >= head && resends.isEmpty() && (c == null || c.live);
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
        LogRecord kept = decoded(src.sampled ? offerToGate(r) : r);
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

    /** A kept record as a backend receives it: its metrics a decoded {@link MetricMap}. */
    private LogRecord decoded(LogRecord kept) {
      if (kept != null && kept.metrics() instanceof LazyMetrics) {
        return kept.withMetrics(((LazyMetrics) kept.metrics()).decoded());
      }
      return kept;
    }

    /**
     * The gate's verdict on {@code record}. A gate that throws (a sampler plugin's bug, a class missing
     * from its jar) keeps the record: one record too many is better than one lost. Warned once.
     */
    private LogRecord offerToGate(LogRecord record) {
      try {
        return gate.offer(record);
      } catch (RuntimeException | LinkageError e) {
        if (gateFailures++ == 0) {
          log.warn("Backend '{}': its sampler failed on step {} ({}); records it fails on are kept unsampled",
              name, record.step(), Secrets.redactText(e.toString()));
        }
        return record;
      }
    }

    /** A finished finite source: its sampler remainder is written, its cursor moved to its end. */
    private boolean finishSource(Source src) {
      if (src.sampled) {
        LogRecord rest = drainGate(src.journal.lastSequence() + 1);
        if (rest != null) {
          batch.add(rest);
        }
      }
      if (!batch.isEmpty() && !deliver(src)) {
        return false;
      }
      src.safe = src.reader.position();
      src.persist();
      sources.pollFirst();
      try {
        src.done.delivered(src);
      } catch (RuntimeException e) {
        log.warn("Backend '{}': could not let go of {}: {}", name, src.journal.directory(), e.toString());
      }
      return true;
    }

    /** At close, with the live journal read to its head: the remainder, a flush, the backend closed. */
    private void stop(Source src) {
      LogRecord rest = drainGate(closeSequence);
      if (rest != null) {
        batch.add(rest);
        if (!deliver(src)) {
          return;
        }
      }
      src.safe = src.reader.position();
      src.persist();
      flushBackend();
      flushed(src.reader.position());
      deliveredAll = true;
    }

    private LogRecord drainGate(long sequence) {
      try {
        return gate.drainPending(sequence);
      } catch (RuntimeException | LinkageError e) {
        log.warn("Backend '{}': its sampler failed while emitting what it still folded ({}); that part is lost",
            name, Secrets.redactText(e.toString()));
        return null;
      }
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

    /** Waits until {@code until} of the clock; false when told to abort meanwhile. */
    private boolean sleepUntil(long until) {
      while (!abort) {
        if (clock.millis() >= until) {
          return true;
        }
        await(until);
      }
      return false;
    }

    /** Sleeps until {@code untilMillis} of the clock, a request, or one poll interval of real time. */
    private void await(long untilMillis) {
      long left = untilMillis - clock.millis();
      if (left <= 0) {
        return;
      }
      synchronized (monitor) {
        if (abort) {
          return;
        }
        try {
          monitor.wait(Math.min(left, POLL_MILLIS));
        } catch (InterruptedException e) {
          // a spent write-timeout interrupt, or close giving up on this thread: the loop checks abort
        }
      }
    }

    private void flushBackend() {
      lastBackendFlush = clock.millis();
      calls.flush();
    }

    private void flushed(long position) {
      synchronized (monitor) {
        flushedUpTo = position;
        monitor.notifyAll();
      }
    }

    private void finish() {
      calls.close(status, () -> abort);
      calls.releaseDeadLetters();
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }

    private long dropped() {
      return live == null ? 0 : live.reader.dropped();
    }

    void forceCursor() {
      Source s = current;
      if (s != null && s.cursor != null) {
        s.cursor.force();
      }
    }

    BackendStats stats() {
      Source s = current;
      long behind = s == null || !s.live ? 0 : s.journal.bytesFrom(s.reader.position());
      long acc = accepted;
      return new BackendStats(name, acc, sampledOut, calls.written(), calls.retried(), behind, dropped(), calls.failed(),
          queued,
          Math.max(0, toRead + liveAppended() - acc));
    }

    private long liveAppended() {
      return live == null ? 0 : live.journal.appended();
    }
  }
}
