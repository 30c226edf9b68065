package dev.trainlog.core.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.api.Secrets;
import dev.trainlog.spi.BackendException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that talks to one backend: opens it, takes batches (from the queue, then the
 * spool), writes them with retries, flushes on the interval and on request, and closes it. A backend
 * that throws, {@link Error}s included (a plugin's missing class, a failed allocation), never stops
 * this loop: anything it throws is a failed attempt, retried with backoff.
 */
final class ChannelWorker implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ChannelWorker.class);

  /** How long close waits for a worker told to abort before leaving it behind: {@value} ms. */
  static final long ABORT_GRACE_MILLIS = 2000;


  private final Channel ch;
  private final Backoff backoff;
  volatile RunStatus status = RunStatus.FINISHED;

  private volatile List<LogRecord> inflight = List.of();
  private volatile boolean inflightFromSpool;
  private volatile boolean abandoned;
  private boolean leftoversSaved;
  private long lastBackendFlushNanos = System.nanoTime();
  private boolean spillAnnounced;
  /** Spooled records handed to the backend so far (worker only). */
  private long spoolDelivered;
  private boolean opened;
  /** The batch being delivered when the loop failed, delivered again first. */
  private Batch redo;

  private final ChannelReports reports;

  ChannelWorker(Channel channel, Backoff backoff) {
    this.ch = channel;
    this.backoff = backoff;
    this.reports = new ChannelReports(channel);
  }

  @Override
  public void run() {
    try {
      while (true) {
        try {
          loop();
          return;
        } catch (RuntimeException | Error e) {
          // a fault of this loop itself, not of the backend: a worker that stopped here would leave
          // callers under on-overflow: block waiting for room forever, so pause and go on
          log.error("Backend '{}': worker failed unexpectedly ({}); going on after a pause", ch.name,
              Secrets.redactText(e.toString()));
          if (!inflight.isEmpty()) {
            redo = new Batch(inflight, inflightFromSpool);
          }
          if (!waitBackoff()) {
            return;
          }
        }
      }
    } finally {
      finish();
    }
  }

  private void loop() {
    if (!opened && !openWithRetries()) {
      return;
    }
    while (true) {
      Batch batch = redo != null ? redo : takeBatch();
      redo = null;
      if (batch == null) {
        return;
      }
      if (!batch.records.isEmpty() && !deliver(batch)) {
        return; // aborted while retrying
      }
      afterBatch();
    }
  }

  private boolean openWithRetries() {
    while (true) {
      try {
        ch.backend.open();
        opened = true;
        backoff.reset();
        return true;
      } catch (Exception | Error e) {
        reports.failure("could not open", e, isRetryable(e), backoff.failures() == 0);
        if (!waitBackoff()) {
          return false;
        }
      }
    }
  }

  /** The next batch, an empty batch when only housekeeping is due, or null when the worker should exit. */
  private Batch takeBatch() {
    ch.lock.lock();
    try {
      while (true) {
        if (ch.abort) {
          return null;
        }
        Channel.Marker marker = ch.markers.peekFirst();
        if (marker != null && ch.dequeued >= marker.queueIndex()) {
          // a spooled range is due before the queue goes on
          if (spoolDelivered < marker.spoolIndex()) {
            int max = (int) Math.min(ch.settings.batchSize(), marker.spoolIndex() - spoolDelivered);
            List<LogRecord> fromSpool = peekSpool(max);
            if (!fromSpool.isEmpty()) {
              return new Batch(fromSpool, true);
            }
            log.warn("Backend '{}': {} spooled record(s) could not be read back from {}", ch.name,
                marker.spoolIndex() - spoolDelivered, ch.spool.directory());
            spoolDelivered = marker.spoolIndex();
          }
          ch.markers.pollFirst();
          continue;
        }
        boolean flushWanted = ch.flushRequests > ch.flushesDone;
        if (!ch.queue.isEmpty()) {
          long waited = System.nanoTime() - ch.firstQueuedNanos;
          if (ch.queue.size() >= ch.settings.batchSize() || flushWanted || ch.stopRequested || marker != null
              || waited >= ch.settings.flushInterval().toNanos()) {
            long untilMarker = marker == null ? Long.MAX_VALUE : marker.queueIndex() - ch.dequeued;
            return new Batch(drainQueue((int) Math.min(ch.settings.batchSize(), untilMarker)), false);
          }
          awaitWork(ch.settings.flushInterval().toNanos() - waited);
          continue;
        }
        if (ch.spoolOwed) {
          ch.placeMarker(); // records were spooled and nothing was queued after them
          continue;
        }
        // nothing queued or spooled: everything admitted so far is resolved
        if (flushWanted || ch.stopRequested) {
          flushBackend();
          ch.flushesDone = ch.flushRequests;
          ch.progress.signalAll();
          if (ch.stopRequested) {
            ch.deliveredAllAtClose = true;
            return null;
          }
          continue;
        }
        if (System.nanoTime() - lastBackendFlushNanos >= ch.settings.flushInterval().toNanos()) {
          return new Batch(List.of(), false); // periodic backend flush outside the lock
        }
        awaitWork(ch.settings.flushInterval().toNanos());
      }
    } finally {
      ch.lock.unlock();
    }
  }

  private List<LogRecord> drainQueue(int max) {
    int n = Math.min(ch.queue.size(), max);
    List<LogRecord> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(ch.queue.pollFirst());
    }
    ch.dequeued += n;
    if (!ch.queue.isEmpty()) {
      ch.firstQueuedNanos = System.nanoTime();
    }
    ch.spaceAvailable.signalAll();
    return records;
  }

  /** Reads the next spooled batch with the channel lock released, so callers never wait on that read. */
  private List<LogRecord> peekSpool(int max) {
    if (!spillAnnounced) {
      spillAnnounced = true;
      log.warn("Backend '{}': records that did not fit the queue are spooled to {} and delivered from there in"
          + " order", ch.name, ch.spool.directory());
    }
    ch.lock.unlock();
    try {
      return ch.spool.peek(max);
    } catch (Exception e) {
      log.error("Backend '{}': cannot read spool {}: {}", ch.name, ch.spool.directory(), e.toString());
      return List.of();
    } finally {
      ch.lock.lock();
    }
  }

  private void awaitWork(long nanos) {
    try {
      ch.workerWake.awaitNanos(Math.max(nanos, TimeUnit.MILLISECONDS.toNanos(1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ch.abort = true;
    }
  }

  /** Writes a batch until it is written or refused for good; false when aborted meanwhile. */
  private boolean deliver(Batch batch) {
    List<LogRecord> records = batch.records;
    inflight = records;
    inflightFromSpool = batch.fromSpool;
    while (true) {
      try {
        ch.backend.write(records);
        resolve(records.size(), 0);
        break;
      } catch (Exception | Error e) {
        boolean retryable = isRetryable(e);
        List<LogRecord> failedOnes = failedSubset(e, records);
        resolve(records.size() - failedOnes.size(), 0);
        if (!retryable) {
          deadLetter(failedOnes, e);
          break;
        }
        records = failedOnes;
        inflight = records;
        ch.retried += 1;
        reports.failure("write failed", e, true, backoff.failures() == 0);
        if (!waitBackoff()) {
          return false;
        }
      }
    }
    backoff.reset();
    inflight = List.of();
    if (batch.fromSpool) {
      spoolDelivered += batch.records.size();
      ackSpool();
    }
    return true;
  }

  /**
   * What the backend says of {@code e}. An {@link Error} is retried without asking: the records stay
   * queued or spooled until the backend recovers or the run closes. So is any failure the backend's
   * own check throws on.
   */
  private boolean isRetryable(Throwable e) {
    if (!(e instanceof Exception)) {
      return true;
    }
    try {
      return ch.backend.isRetryable((Exception) e);
    } catch (RuntimeException | Error bug) {
      return true;
    }
  }

  private static List<LogRecord> failedSubset(Throwable e, List<LogRecord> batch) {
    if (e instanceof BackendException && !((BackendException) e).failedRecords().isEmpty()) {
      return ((BackendException) e).failedRecords();
    }
    return batch;
  }

  private void resolve(int writtenCount, int failedCount) {
    if (writtenCount == 0 && failedCount == 0) {
      return;
    }
    ch.lock.lock();
    try {
      ch.written += writtenCount;
      ch.failed += failedCount;
      ch.resolved += writtenCount + failedCount;
      ch.progress.signalAll();
    } finally {
      ch.lock.unlock();
    }
  }

  private void deadLetter(List<LogRecord> records, Throwable e) {
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    try {
      ch.deadLetters.add(records, reason, ch.clock.instant());
      log.error("Backend '{}' refused {} record(s) for good ({}); kept in {}", ch.name, records.size(),
          Secrets.redactText(reason), ch.deadLetters.directory());
    } catch (Exception io) {
      log.error("Backend '{}' refused {} record(s) ({}) and the dead-letter directory {} failed too: {}", ch.name,
          records.size(), Secrets.redactText(reason), ch.deadLetters.directory(), io.toString());
    }
    resolve(0, records.size());
  }

  private void ackSpool() {
    try {
      ch.spool.ack();
    } catch (Exception e) {
      log.warn("Backend '{}': could not delete delivered spool segments: {}", ch.name, e.toString());
    }
  }

  /** Waits before the next attempt; false when the channel is aborted meanwhile. */
  private boolean waitBackoff() {
    long delay = backoff.nextDelayNanos();
    ch.lock.lock();
    try {
      long deadline = System.nanoTime() + delay;
      while (!ch.abort) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        awaitWork(left);
      }
      return false;
    } finally {
      ch.lock.unlock();
    }
  }

  private void afterBatch() {
    long now = System.nanoTime();
    if (now - lastBackendFlushNanos >= ch.settings.flushInterval().toNanos()) {
      flushBackend();
    }
    try {
      ch.spool.flush();
    } catch (Exception e) {
      log.warn("Backend '{}': could not flush spool: {}", ch.name, e.toString());
    }
    reports.drops(now);
  }

  private void flushBackend() {
    lastBackendFlushNanos = System.nanoTime();
    if (!opened) {
      return;
    }
    try {
      ch.backend.flush();
    } catch (Exception | Error e) {
      reports.failure("flush failed", e, isRetryable(e), false);
    }
  }

  /** Called from close when this thread did not stop in time: keep what it holds, at least once. */
  void abandon() {
    abandoned = true;
    spoolLeftovers();
    log.error("Backend '{}' did not finish within the close timeout; its records are kept in {}", ch.name,
        ch.spool.directory());
  }

  private void finish() {
    if (!abandoned) {
      spoolLeftovers();
    }
    if (opened) {
      try {
        ch.backend.close(status);
      } catch (Exception | Error e) {
        log.warn("Backend '{}': close failed: {}", ch.name, ChannelReports.describe(e));
      }
    }
    ch.lock.lock();
    try {
      ch.progress.signalAll();
    } finally {
      ch.lock.unlock();
    }
  }

  /** Moves what is in memory to the spool, once, so the next dispatcher resends it in order. */
  private void spoolLeftovers() {
    ch.lock.lock();
    try {
      if (leftoversSaved) {
        return;
      }
      leftoversSaved = true;
      Leftovers.save(ch, inflightFromSpool ? List.of() : inflight);
      inflight = List.of();
    } finally {
      ch.lock.unlock();
    }
  }

  private static final class Batch {
    final List<LogRecord> records;
    final boolean fromSpool;

    Batch(List<LogRecord> records, boolean fromSpool) {
      this.records = records;
      this.fromSpool = fromSpool;
    }
  }
}
