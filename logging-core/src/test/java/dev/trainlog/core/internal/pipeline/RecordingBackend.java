package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** A backend for pipeline tests: stores what it is given and can be told to fail, refuse or hang. */
public final class RecordingBackend implements LogBackend {

  final List<LogRecord> stored = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger failNextWrites = new AtomicInteger();
  final AtomicInteger failedWrites = new AtomicInteger();
  volatile boolean down;
  final Set<Long> refusedSteps = ConcurrentHashMap.newKeySet();
  volatile CountDownLatch openGate = new CountDownLatch(0);
  volatile CountDownLatch writeGate = new CountDownLatch(0);
  /** While not counted down, {@link #close} waits, and goes on waiting when interrupted. */
  volatile CountDownLatch closeGate = new CountDownLatch(0);
  /** When set, each write takes one permit first: the test lets batches through one by one. */
  volatile java.util.concurrent.Semaphore permits;
  volatile RunStatus closedWith;
  final AtomicInteger flushes = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  /** Opens that throw an {@link Error} (a plugin's missing class) before one succeeds. */
  final AtomicInteger openErrors = new AtomicInteger();
  /** Writes that throw an {@link Error} (a failed allocation) before the next succeeds. */
  final AtomicInteger writeErrors = new AtomicInteger();
  /** The thread that called {@link #write} last: the channel's worker. */
  volatile Thread writer;
  /** When set, open fails for good (a refused credential). */
  volatile boolean openRefused;
  /** When set, {@link #isRetryable} itself throws. */
  volatile boolean retryCheckThrows;

  @Override
  public void open() throws Exception {
    openGate.await();
    if (openErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new NoClassDefFoundError("com/example/MissingDriverClass");
    }
    if (down) {
      throw new IOException("connection refused");
    }
    if (openRefused) {
      throw new BackendException("authentication failed for user 'trainer'", false);
    }
  }

  @Override
  public void write(List<LogRecord> batch) throws Exception {
    writer = Thread.currentThread();
    writeGate.await();
    if (permits != null) {
      permits.acquire();
    }
    if (writeErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      failedWrites.incrementAndGet();
      throw new OutOfMemoryError("simulated: Java heap space");
    }
    if (down || failNextWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      failedWrites.incrementAndGet();
      throw new IOException("server unavailable");
    }
    List<LogRecord> refused = batch.stream().filter(r -> refusedSteps.contains(r.step())).collect(Collectors.toList());
    batchSizes.add(batch.size());
    for (LogRecord r : batch) {
      if (!refused.contains(r)) {
        stored.add(r);
      }
    }
    if (!refused.isEmpty()) {
      throw new BackendException("value rejected by the store: step " + refused.get(0).step(), null, false, refused);
    }
  }

  @Override
  public boolean isRetryable(Exception failure) {
    if (retryCheckThrows) {
      throw new IllegalStateException("retry check broken");
    }
    return LogBackend.super.isRetryable(failure);
  }

  /** How other runs ended, as the dispatcher told it: "runId/rank STATUS endTimeMillis". */
  final List<String> otherRunEnds = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void otherRunEnded(dev.trainlog.api.RunInfo run, RunStatus status, long endTimeMillis) {
    otherRunEnds.add(run.runId() + "/" + run.rank() + " " + status + " " + endTimeMillis);
  }

  @Override
  public void flush() {
    flushes.incrementAndGet();
  }

  @Override
  public void close(RunStatus status) {
    closes.incrementAndGet();
    boolean interrupted = false;
    while (closeGate.getCount() > 0) { // a close stuck in a call that ignores interrupts, as a blocking socket read
      try {
        closeGate.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    closedWith = status;
  }

  List<Long> steps() {
    synchronized (stored) {
      return stored.stream().map(LogRecord::step).collect(Collectors.toList());
    }
  }
}
