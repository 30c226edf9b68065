package dev.trainlog.core.internal.pipeline;

import dev.trainlog.core.spec.BackendStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dispatcher's backends, asked together: started, asked what they want, flushed, and their stats. */
public final class Channels {

  private final List<BackendChannel> list;

  public Channels(List<BackendChannel> channels) {
    this.list = List.copyOf(channels);
  }

  public List<BackendChannel> list() {
    return list;
  }

  public List<String> names() {
    return list.stream().map(BackendChannel::name).toList();
  }

  /** Starts every backend's worker. */
  public void start() {
    list.forEach(BackendChannel::start);
  }

  /** Whether at least one backend's sampler would keep {@code key} at {@code step} logged at {@code nowMillis}. */
  public boolean wants(String key, long step, long nowMillis, boolean image) {
    for (BackendChannel c : list) {
      if (c.wants(key, step, nowMillis, image)) {
        return true;
      }
    }
    return false;
  }

  /** Waits up to {@code timeout} in all until every backend wrote the live journal up to {@code head}. */
  public boolean flush(long head, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean all = true;
    for (BackendChannel c : list) {
      all &= c.flush(head, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    return all;
  }

  /** Each backend's stats, by name. */
  public Map<String, BackendStats> stats() {
    Map<String, BackendStats> byName = new LinkedHashMap<>();
    for (BackendChannel c : list) {
      byName.put(c.name(), c.stats());
    }
    return byName;
  }
}
