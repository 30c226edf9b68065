package dev.trainlog.core.internal.sampling;

import dev.trainlog.core.spec.Reduce;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The steps one key group skipped since it last emitted, folded key by key. The window holds every
 * offered step after the previous emit up to and including the kept one.
 */
final class ReduceWindow {

  private final Reduce reduce;
  private final Map<String, Accumulator> accumulators = new LinkedHashMap<>();

  ReduceWindow(Reduce reduce) {
    this.reduce = reduce;
  }

  void fold(String key, Object value) {
    Accumulator a = accumulators.get(key);
    if (a == null) {
      accumulators.put(key, Accumulator.start(reduce, value));
      return;
    }
    Accumulator next = a.add(value);
    if (next != a) {
      accumulators.put(key, next);
    }
  }

  boolean isEmpty() {
    return accumulators.isEmpty();
  }

  boolean contains(String key) {
    return accumulators.containsKey(key);
  }

  /** The reduced value of {@code key}; the key must be in the window. */
  Object result(String key) {
    return accumulators.get(key).result();
  }

  /** Adds the keys seen only in skipped steps, in the order they first appeared. */
  void appendMissing(Map<String, Object> target) {
    for (Map.Entry<String, Accumulator> e : accumulators.entrySet()) {
      if (!target.containsKey(e.getKey())) {
        target.put(e.getKey(), e.getValue().result());
      }
    }
  }

  /** Empties the window after an emit; accumulators are not reused, so keys that stop appearing do not pile up. */
  void clear() {
    accumulators.clear();
  }
}
