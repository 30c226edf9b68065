package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What other threads ask of one backend's reader (flush to a position, stop with a status, abort),
 * what the reader answers (flushed up to where), and how the reader waits: until a time of the
 * injected clock, a request, or one poll interval of real time, whichever comes first.
 */
final class ReaderRequests {

  /** Longest the reader waits before it looks at the journal again: {@value} ms of real time. */
  static final long POLL_MILLIS = 20;

  private final Object monitor = new Object();
  private final Clock clock;
  private volatile boolean stopping;
  private volatile boolean abort;
  private volatile RunStatus status = RunStatus.FINISHED;
  private volatile long closeSequence;
  private volatile long flushTarget = -1;
  private volatile long flushedUpTo = -1;

  ReaderRequests(Clock clock) {
    this.clock = clock;
  }

  /** Close: read to the head, emit the sampler's remainder numbered {@code sequence}, finish with {@code runStatus}. */
  void stop(RunStatus runStatus, long sequence) {
    status = runStatus;
    closeSequence = sequence;
    stopping = true;
    wake();
  }

  /** Close gave up waiting: the reader leaves whatever it is doing. */
  void abort() {
    abort = true;
    wake();
  }

  boolean stopping() {
    return stopping;
  }

  boolean aborted() {
    return abort;
  }

  RunStatus status() {
    return status;
  }

  long closeSequence() {
    return closeSequence;
  }

  /** Whether a flush asked for more than the reader has flushed. */
  boolean flushWanted() {
    return flushTarget > flushedUpTo;
  }

  /** Whether a flush not answered yet asked for no more than {@code position}: answering it there ends it. */
  boolean flushWantedUpTo(long position) {
    long target = flushTarget;
    return target > flushedUpTo && target <= position;
  }

  long flushedUpTo() {
    return flushedUpTo;
  }

  /** From the reader: everything up to {@code position} of the live journal is written and flushed. */
  void flushed(long position) {
    synchronized (monitor) {
      flushedUpTo = position;
      monitor.notifyAll();
    }
  }

  /**
   * Asks for a flush up to {@code head} and waits until {@code done} says so, the reader died
   * ({@code alive} false) or {@code timeout} passed (real time: it bounds the caller); returns {@code done}.
   */
  boolean flush(long head, Duration timeout, BooleanSupplier done, BooleanSupplier alive) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      if (head > flushTarget) {
        flushTarget = head;
      }
      monitor.notifyAll();
      while (!done.getAsBoolean()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !alive.getAsBoolean()) {
          return done.getAsBoolean();
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

  void wake() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /** From the reader: waits until {@code until} of the clock; false when aborted meanwhile. */
  boolean sleepUntil(long until) {
    while (!abort) {
      if (clock.millis() >= until) {
        return true;
      }
      await(until);
    }
    return false;
  }

  /** From the reader: sleeps until {@code untilMillis} of the clock, a request, or one poll interval. */
  void await(long untilMillis) {
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
}
