package dev.trainlog.core.internal.sampling;

import dev.trainlog.core.internal.journal.LazyMetrics;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Finds NaN or ±Infinity in metric values without allocating: {@link Map#forEach} with this reusable
 * visitor walks the map's own nodes, where an entry-set iterator would be created per record. Not
 * thread-safe; one per {@link RecordSampler}.
 */
final class NonFiniteScan implements BiConsumer<String, Object> {

  private boolean found;

  boolean in(Map<String, Object> metrics) {
    if (metrics instanceof LazyMetrics) {
      return ((LazyMetrics) metrics).hasNonFinite(); // known from the journal record's header
    }
    found = false;
    metrics.forEach(this);
    return found;
  }

  boolean in(Object value) {
    found = false;
    accept(null, value);
    return found;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void accept(String key, Object value) {
    if (found) {
      return;
    }
    if (value instanceof Double) {
      found = !Double.isFinite((Double) value);
    } else if (value instanceof double[]) {
      for (double d : (double[]) value) {
        if (!Double.isFinite(d)) {
          found = true;
          return;
        }
      }
    } else if (value instanceof Map) {
      ((Map<String, Object>) value).forEach(this);
    }
  }
}
