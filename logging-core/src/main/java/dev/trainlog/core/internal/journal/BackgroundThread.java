package dev.trainlog.core.internal.journal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for a journal's background work, started by the first task and gone after a minute
 * without one, so a journal that never needs it never has it.
 */
final class BackgroundThread {

  private BackgroundThread() {}

  static ThreadPoolExecutor named(String name) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** Takes no more tasks and waits up to {@code seconds} for those taken; false when they were still running. */
  static boolean stop(ThreadPoolExecutor executor, long seconds) {
    executor.shutdown();
    try {
      return executor.awaitTermination(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
