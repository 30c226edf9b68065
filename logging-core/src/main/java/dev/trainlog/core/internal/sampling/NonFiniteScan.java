package dev.trainlog.core.internal.sampling;

import dev.trainlog.api.MetricValues;
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
    switch (MetricValues.kindOf(value)) {
      case SCALAR -> found = !Double.isFinite((Double) value);
      case VECTOR -> {
        for (double d : (double[]) value) {
          if (!Double.isFinite(d)) {
            found = true;
            return;
          }
        }
      }
      case NESTED -> ((Map<String, Object>) value).forEach(this);
      case TEXT -> { }
    }
  }
}
