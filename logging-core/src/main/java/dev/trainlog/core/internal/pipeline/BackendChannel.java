package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.spi.LogBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend of a dispatcher, as OpenTelemetry's {@code BatchSpanProcessor}: it starts the backend's
 * {@link BackendWorker} (which alone reads the journal, samples, batches and writes), asks it to flush
 * or close, and reads its stats. All pipeline timing (flush interval, backoff, write timeout) reads
 * the injected clock.
 */
public final class BackendChannel {

  private static final Logger log = LoggerFactory.getLogger(BackendChannel.class);

  /** How long {@link #close} waits past its deadline for a worker told to abort: {@value} ms. */
  public static final long CLOSE_GRACE_MILLIS = 2000;

  private final String name;
  private final DeadLetters deadLetters;
  private final BackendWorker worker;
  /** Asked only {@link BackendCalls#checkWriteTimeout}, the one call made from the watchdog's thread. */
  private final BackendCalls calls;
  private final Thread thread;
  private final ReaderRequests requests;
  /** Asked only {@link Gate#wants}, which is safe from any thread. */
  private final Gate sampling;
  private final long toRead;

  /**
   * A reader of {@code sources} in order (journals left by processes that are gone first, the live
   * one last) for {@code backend}; {@code toRead} is how many records they hold beyond the live head.
   */
  public BackendChannel(String name, LogBackend backend, Gate gate, ChannelSettings settings, List<Source> sources,
      DeadLetters deadLetters, Clock clock, long toRead) {
    this.name = name;
    this.toRead = toRead;
    this.deadLetters = deadLetters;
    this.requests = new ReaderRequests(clock);
    this.calls = new BackendCalls(name, backend, settings, clock, deadLetters, requests::sleepUntil);
    this.worker = new BackendWorker(name, calls, gate, sources, settings, deadLetters, requests, clock);
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
   * in the journal; {@link #delivered} and {@link #closed} say what happened.
   */
  public void close(RunStatus runStatus, long deadlineNanos, long sequence) {
    requests.stop(runStatus, sequence);
    try {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      if (thread.isAlive()) {
        requests.abort();
        thread.join(CLOSE_GRACE_MILLIS);
        if (thread.isAlive()) {
          // a backend stuck in a call: interrupting may end it; its cursor keeps what it had not written
          thread.interrupt();
          if (!delivered()) { // one that wrote everything and is stuck in its close is named by the close summary
            log.error("Backend '{}' did not finish within the close timeout; what it had not written stays in the"
                + " journal", name);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** From any thread: whether the worker wrote and flushed everything up to the journal's head at close. */
  public boolean delivered() {
    return worker.progress().deliveredAll();
  }

  /** From any thread: whether the backend's close returned, so the run's end status reached its store. */
  public boolean closed() {
    return worker.progress().closed();
  }

  /** Whether this backend's sampler would keep {@code key} at {@code step} ({@code dispatcher.wants}). */
  public boolean wants(String key, long step, long nowMillis, boolean image) {
    return sampling.wants(key, step, nowMillis, image);
  }

  /** Where this backend's records refused for good are kept (counted in {@code stats().failed()}). */
  public java.nio.file.Path deadLetterDirectory() {
    return deadLetters.directory();
  }

  /** Called by the watchdog: interrupts a {@code write} that has taken longer than the write timeout. */
  public void checkWriteTimeout(long nowMillis) {
    calls.checkWriteTimeout(nowMillis);
  }

  /** Called by the watchdog in {@code durability: fsync} mode. */
  public void forceCursors() {
    Source s = worker.sources.current();
    if (s != null) {
      s.tailer.forceCursor();
    }
  }

  /** The worker's last snapshot, with how far behind the live journal's head it is now. */
  public BackendStats stats() {
    BackendWorker.Progress p = worker.progress();
    Sources sources = worker.sources;
    Source s = sources.current();
    long behind = s == null || !s.live ? 0 : s.tailer.bytesBehind();
    return new BackendStats(name, p.accepted(), p.sampledOut(), p.written(), p.retried(), behind,
        sources.dropped() + p.undecodable(), p.failed(), p.queued(),
        Math.max(0, toRead + sources.liveAppended() - p.accepted()));
  }
}
