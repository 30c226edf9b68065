package dev.trainlog.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher's JVM shutdown hook (SIGTERM): the thread that closes the run as KILLED, and the tasks
 * given to {@link LogDispatcher#beforeShutdown} that it runs first.
 */
final class ShutdownHook {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private final List<Runnable> tasks = new CopyOnWriteArrayList<>();
  private final Thread thread;

  /** Registers {@code closeFromHook} with the JVM when {@code install}; else the hook only holds tasks. */
  ShutdownHook(boolean install, Runnable closeFromHook) {
    thread = install ? new Thread(closeFromHook, "trainlog-shutdown") : null;
    if (thread != null) {
      Runtime.getRuntime().addShutdownHook(thread);
    }
  }

  void add(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
  }

  /** Runs every task; one that fails is named and the others still run. */
  void runTasks() {
    for (Runnable task : tasks) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("A task given to beforeShutdown failed: {}", e.toString());
      }
    }
  }

  /** Unregisters the hook after a close of its own, unless the hook itself is closing. */
  void remove() {
    if (thread != null && Thread.currentThread() != thread) {
      try {
        Runtime.getRuntime().removeShutdownHook(thread);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook will find the dispatcher closed
      }
    }
  }
}
