package dev.trainlog.core.internal.system;

import java.util.Map;

/** Two growing byte counters (read and written, received and sent) as per-second rates between readings. */
final class CounterRates {

  private final String firstKey;
  private final String secondKey;
  private long previousFirst = -1;
  private long previousSecond = -1;

  CounterRates(String firstKey, String secondKey) {
    this.firstKey = firstKey;
    this.secondKey = secondKey;
  }

  /** Puts both rates over {@code seconds} since the previous call; the first call only remembers the counters. */
  void put(Map<String, Object> out, long first, long second, double seconds) {
    if (previousFirst >= 0 && seconds > 0) {
      // a counter that went back (a device removed) reads as 0, not as a negative rate
      out.put(firstKey, Math.max(0, first - previousFirst) / seconds);
      out.put(secondKey, Math.max(0, second - previousSecond) / seconds);
    }
    previousFirst = first;
    previousSecond = second;
  }
}
