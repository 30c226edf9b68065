package dev.trainlog.core;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Images;
import dev.trainlog.api.MetricMap;
import java.lang.reflect.Array;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what callers log into the record model's value types: numbers become doubles, primitive
 * arrays and lists of numbers become copied {@code double[]}, maps are copied recursively. A value
 * of any other type is skipped with one warning per key, never an exception in the training loop.
 */
final class MetricsNormalizer {

  private static final Logger log = LoggerFactory.getLogger(MetricsNormalizer.class);
  private final Set<String> warnedKeys = ConcurrentHashMap.newKeySet();

  /** The metrics of {@code step} in the record model; null metrics or a null key are the caller's mistake. */
  MetricMap normalize(long step, Map<String, ?> metrics) {
    if (metrics == null) {
      throw new IllegalArgumentException("log(" + step + ", null): the metrics of step " + step + " are null");
    }
    MetricMap.Builder out = MetricMap.builder(metrics.size());
    for (Map.Entry<String, ?> e : metrics.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException("step " + step + " has a metric with a null key (value " + e.getValue()
            + "); nothing of that step was logged");
      }
      Object v = value(e.getKey(), e.getValue());
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out.build();
  }

  /** The normalized value, or null (after one warning) when it cannot be logged. */
  Object value(String key, Object v) {
    if (v instanceof Double || v instanceof String || v instanceof Images || v instanceof Artifact) {
      return v; // images and artifacts are immutable; their files are stored by the journal
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Boolean) {
      return (Boolean) v ? 1.0 : 0.0;
    }
    if (v instanceof double[]) {
      return ((double[]) v).clone();
    }
    if (v != null && v.getClass().isArray() && v.getClass().getComponentType().isPrimitive()
        && !(v instanceof boolean[])) {
      double[] d = new double[Array.getLength(v)];
      for (int i = 0; i < d.length; i++) {
        d[i] = Array.getDouble(v, i); // float[], int[], long[], short[], byte[], char[]
      }
      return d;
    }
    if (v instanceof List && ((List<?>) v).stream().allMatch(x -> x instanceof Number)) {
      List<?> l = (List<?>) v;
      double[] d = new double[l.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = ((Number) l.get(i)).doubleValue();
      }
      return d;
    }
    if (v instanceof Map) {
      MetricMap.Builder nested = MetricMap.builder(((Map<?, ?>) v).size());
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        String k = String.valueOf(e.getKey());
        Object nv = value(key + "/" + k, e.getValue());
        if (nv != null) {
          nested.put(k, nv);
        }
      }
      return nested.build();
    }
    if (warnedKeys.add(key)) {
      log.warn("Metric '{}' has a value of type {} that TrainLog cannot log (use a number, a number array or list,"
          + " a string or a map); it is skipped", key, v == null ? "null" : v.getClass().getName());
    }
    return null;
  }
}
