package dev.trainlog.cli.common;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C (the JVM's shutdown hook) or a test end a long-running command cleanly: the command
 * polls {@link #requested()}, and the hook waits a little for it to finish its output.
 */
public final class StopSignal {

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Asks the running command to stop. */
  public void request() {
    requested.countDown();
  }

  /**
   * How long the shutdown hook waits for the command to end: {@value} s, enough for a follower to close its runs
   * (it gives their backends 3 s) and still end within 10 s of a SIGTERM.
   */
  public static final long AWAIT_SECONDS = 9;

  /** Asks to stop and waits up to {@link #AWAIT_SECONDS} for the command to end (the shutdown hook's path). */
  public void requestAndAwait() {
    request();
    try {
      finished.await(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a stop was asked for. */
  public boolean requested() {
    return requested.getCount() == 0;
  }

  /** Waits up to {@code millis} for a stop request; true when one came. */
  public boolean await(long millis) throws InterruptedException {
    return requested.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Called once the command's work is done. */
  public void finished() {
    finished.countDown();
  }
}
