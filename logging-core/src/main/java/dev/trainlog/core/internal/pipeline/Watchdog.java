package dev.trainlog.core.internal.pipeline;

import dev.trainlog.core.internal.journal.Journal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One daemon thread per dispatcher for what no reader can do for itself: interrupting a backend
 * {@code write} that passed its write timeout, and, with {@code durability: fsync}, forcing the
 * journal and the cursors to the device every fsync interval. Reads the injected clock.
 */
public final class Watchdog implements Runnable {

  /** How often the watchdog looks, in real time: {@value} ms. */
  static final long TICK_MILLIS = 50;

  private final List<BackendChannel> channels;
  private final Journal journal;
  private final Duration fsyncInterval;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean stopped;
  private long lastForce;

  /** {@code fsyncInterval} null: no forcing ({@code durability: process}). */
  public Watchdog(List<BackendChannel> channels, Journal journal, Duration fsyncInterval, Clock clock) {
    this.channels = List.copyOf(channels);
    this.journal = journal;
    this.fsyncInterval = fsyncInterval;
    this.clock = clock;
    this.thread = new Thread(this, "trainlog-watchdog");
    this.thread.setDaemon(true);
  }

  public void start() {
    lastForce = clock.millis();
    thread.start();
  }

  @Override
  public void run() {
    while (!stopped) {
      long now = clock.millis();
      for (BackendChannel c : channels) {
        c.checkWriteTimeout(now);
      }
      if (fsyncInterval != null && now - lastForce >= fsyncInterval.toMillis()) {
        force();
        lastForce = now;
      }
      synchronized (this) {
        try {
          wait(TICK_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void force() {
    journal.force();
    for (BackendChannel c : channels) {
      c.forceCursors();
    }
  }

  /** Stops the thread; in fsync mode forces once more, so a clean close leaves everything on the device. */
  public void stop() {
    stopped = true;
    synchronized (this) {
      notifyAll();
    }
    if (fsyncInterval != null) {
      force();
    }
  }
}
