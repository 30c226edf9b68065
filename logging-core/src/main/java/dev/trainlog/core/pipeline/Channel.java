package dev.trainlog.core.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.spool.DeadLetters;
import dev.trainlog.core.spool.Spool;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend's path from the training thread to its store: the gate (sampling) and a bounded
 * queue on the caller's side, a spool on disk for overflow, and one daemon worker that writes
 * batches. Only what does not fit the queue is spooled: a {@link Marker} in the queue's order says
 * where the spooled records belong, so the backend sees every record in the order it was logged.
 */
public final class Channel {

  private static final Logger log = LoggerFactory.getLogger(Channel.class);

  /** How long {@link #close} may go on past its deadline: the grace a worker told to abort gets. */
  public static final long CLOSE_GRACE_MILLIS = ChannelWorker.ABORT_GRACE_MILLIS;

  final String name;
  final LogBackend backend;
  final ChannelSettings settings;
  final Spool spool;
  final DeadLetters deadLetters;
  final Clock clock;
  private final Gate gate;

  final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a batch is ready, a flush is asked for, or the channel stops. */
  final Condition workerWake = lock.newCondition();
  final Condition spaceAvailable = lock.newCondition();
  final Condition progress = lock.newCondition();
  final ArrayDeque<LogRecord> queue;

  // guarded by lock
  /** Where spooled ranges fall between queued records, oldest first. */
  final ArrayDeque<Marker> markers = new ArrayDeque<>();
  /** Records were spooled since the last marker, so the next queued record needs a marker first. */
  boolean spoolOwed;
  /** Records ever put in / taken from the queue, to place markers. */
  long enqueued;
  long dequeued;
  /** Records ever admitted to the spool, including those an earlier process left there. */
  long spoolAdmitted;
  boolean closing;
  boolean stopRequested;
  boolean abort;
  long flushRequests;
  long flushesDone;
  long firstQueuedNanos;
  long accepted;
  long sampledOut;
  long admitted;
  long spilled;
  long dropped;
  long spillFailures;
  long gateFailures;

  // written by the worker, read by anyone
  volatile long written;
  volatile long retried;
  volatile long failed;
  /** written + failed + dropped-oldest: admitted records that need no more work. */
  volatile long resolved;
  volatile boolean deliveredAllAtClose;

  private final ChannelWorker worker;
  private final Thread thread;

  public Channel(String name, LogBackend backend, Gate gate, ChannelSettings settings, Spool spool,
      DeadLetters deadLetters, Clock clock) {
    this.name = name;
    this.backend = backend;
    this.gate = gate;
    this.settings = settings;
    this.spool = spool;
    this.deadLetters = deadLetters;
    this.clock = clock;
    this.queue = new ArrayDeque<>(Math.min(settings.queueCapacity(), 1024));
    this.spoolAdmitted = spool.pending();
    if (spoolAdmitted > 0) {
      // what an earlier process left comes before anything logged now
      markers.add(new Marker(0, spoolAdmitted, markerPosition()));
    }
    this.worker = new ChannelWorker(this,
        new Backoff(settings.retryInitialBackoff(), settings.retryMaxBackoff(), () -> ThreadLocalRandom.current().nextDouble()));
    this.thread = new Thread(worker, "trainlog-" + name);
    this.thread.setDaemon(true);
  }

  public String name() {
    return name;
  }

  /** Starts the worker: it opens the backend (retrying while it fails) and replays the spool first. */
  public void start() {
    if (spoolAdmitted > 0) {
      log.info("Backend '{}': {} records left by an earlier run in {} are resent first", name, spool.pending(),
          spool.directory());
    }
    thread.start();
  }

  /** Offers a record; returns without waiting on I/O unless the policy is {@code block}. */
  public void submit(LogRecord record) {
    lock.lock();
    try {
      if (closing) {
        dropped++;
        return;
      }
      accepted++;
      LogRecord kept = offerToGate(record);
      if (kept == null) {
        sampledOut++;
        return;
      }
      admit(kept);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The gate's verdict on {@code record}. A gate that throws (a sampler plugin's bug) keeps the
   * record: the training thread never sees the exception, and a record too many is better than one
   * lost. Warned about once per channel. Caller holds the lock.
   */
  private LogRecord offerToGate(LogRecord record) {
    try {
      return gate.offer(record);
    } catch (RuntimeException | LinkageError e) { // a bug, or a class missing from the plugin's jar
      gateFailures++;
      if (gateFailures == 1) {
        log.warn("Backend '{}': its sampler failed on step {} ({}); records it fails on are kept unsampled",
            name, record.step(), Secrets.redactText(e.toString()));
      }
      return record;
    }
  }

  /** Queues, spills or drops an already-gated record. Caller holds the lock. */
  private void admit(LogRecord kept) {
    if (queue.size() < settings.queueCapacity()) {
      if (spoolOwed) {
        placeMarker();
      }
      enqueue(kept);
      return;
    }
    switch (settings.onOverflow()) {
      case SPILL:
        spill(kept);
        break;
      case BLOCK:
        while (queue.size() >= settings.queueCapacity() && !abort) {
          workerWake.signal();
          spaceAvailable.awaitUninterruptibly();
        }
        if (abort) {
          dropped++;
        } else {
          enqueue(kept);
        }
        break;
      case DROP_NEWEST:
        dropped++;
        break;
      case DROP_OLDEST:
        queue.pollFirst();
        dequeued++;
        dropped++;
        resolved++;
        enqueue(kept);
        break;
      default:
        throw new IllegalStateException(settings.onOverflow().toString());
    }
  }

  /** Closes the current spooled range: it is delivered before the records queued from now on. */
  void placeMarker() {
    markers.addLast(new Marker(enqueued, spoolAdmitted, markerPosition()));
    spoolOwed = false;
    workerWake.signal();
  }

  private long markerPosition() {
    try {
      return spool.sealForMarker();
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE / 2; // only matters for saving the queue at close: order on disk may suffer
    }
  }

  private void enqueue(LogRecord kept) {
    if (queue.isEmpty()) {
      firstQueuedNanos = System.nanoTime();
    }
    queue.addLast(kept);
    enqueued++;
    admitted++;
    if (queue.size() == settings.batchSize()) {
      workerWake.signal();
    }
  }

  private void spill(LogRecord kept) {
    try {
      spool.append(kept);
      spilled++;
      admitted++;
      spoolAdmitted++;
      spoolOwed = true;
    } catch (IOException | RuntimeException e) {
      dropped++;
      spillFailures++;
    }
  }

  /**
   * Waits until everything admitted before this call is written and the backend flushed; returns
   * false when {@code timeout} passed first (records stay queued or spooled, nothing is lost).
   */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      long target = admitted;
      long ticket = ++flushRequests;
      workerWake.signal();
      while (flushesDone < ticket || resolved < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          return false;
        }
        progress.awaitNanos(left);
        if (flushesDone >= ticket && resolved < target) {
          ticket = ++flushRequests; // written after the flush we waited for; ask again
          workerWake.signal();
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops intake, hands the sampler's folded remainder to the queue, lets the worker deliver and
   * close the backend with {@code status}, and waits until {@code deadlineNanos}. The remainder is
   * numbered {@code closeSequence}, which no logged record has. What is not delivered by then stays
   * in the spool. Returns whether everything was delivered.
   */
  public boolean close(RunStatus status, long deadlineNanos, long closeSequence) {
    lock.lock();
    try {
      if (closing) {
        return deliveredAllAtClose;
      }
      LogRecord last = drainGate(closeSequence);
      if (last != null) {
        if (settings.onOverflow() == OverflowPolicy.BLOCK && queue.size() >= settings.queueCapacity()) {
          // close waits for nothing but its deadline: what does not fit waits in the spool like any overflow
          spill(last);
        } else {
          admit(last);
        }
      }
      closing = true;
      stopRequested = true;
      worker.status = status;
      workerWake.signal();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      if (thread.isAlive()) {
        lock.lock();
        try {
          abort = true;
          workerWake.signal();
          spaceAvailable.signalAll();
        } finally {
          lock.unlock();
        }
        thread.join(CLOSE_GRACE_MILLIS);
        if (thread.isAlive()) {
          worker.abandon();
          // what it held is saved; interrupting ends a backend waiting in a retry pause or on a lock
          // sooner, so a write it completes late (a duplicate, as with any replay) is less likely
          thread.interrupt();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.abandon();
    }
    return deliveredAllAtClose;
  }

  /** What the gate still holds at close; a gate that throws holds nothing more, and close goes on. */
  private LogRecord drainGate(long closeSequence) {
    try {
      return gate.drainPending(closeSequence);
    } catch (RuntimeException | LinkageError e) {
      log.warn("Backend '{}': its sampler failed at close ({}); what it still held folded is lost", name,
          Secrets.redactText(e.toString()));
      return null;
    }
  }

  /** Lets go of {@code dir} if it is this channel's dead-letter directory, for a resend from it. */
  public void releaseDeadLetters(java.nio.file.Path dir) throws IOException {
    deadLetters.release(dir);
  }

  /** Re-admits records from another spool (a resend) behind everything already admitted. */
  public void resubmit(Iterable<LogRecord> records) {
    lock.lock();
    try {
      for (LogRecord r : records) {
        accepted++;
        admit(r);
      }
    } finally {
      lock.unlock();
    }
  }

  public BackendStats stats() {
    lock.lock();
    try {
      return new BackendStats(name, accepted, sampledOut, written, retried, spilled, dropped, failed, queue.size(),
          spool.pending());
    } finally {
      lock.unlock();
    }
  }

  /**
   * A spooled range in the queue's order: once {@code queueIndex} records have left the queue, the
   * spool is delivered up to its {@code spoolIndex}-th record before the queue goes on. {@code
   * position} is where the spool puts records inserted after this range (see Spool#sealForMarker).
   */
  record Marker(long queueIndex, long spoolIndex, long position) {}
}
