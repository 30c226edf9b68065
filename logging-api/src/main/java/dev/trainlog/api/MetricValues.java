package dev.trainlog.api;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** Helpers over the metric value types of {@link LogRecord}, shared by the core and the backends. */
public final class MetricValues {

  /** The shapes a metric value can take. */
  public enum Kind {
    SCALAR,
    VECTOR,
    TEXT,
    NESTED,
    /** {@link Images}: one or more images under one key. */
    IMAGE,
    /** {@link Artifact}: a file. */
    ARTIFACT
  }

  private MetricValues() {}

  /** The kind of a stored metric value; throws for anything that is not one of the shapes. */
  public static Kind kindOf(Object value) {
    if (value instanceof Double) {
      return Kind.SCALAR;
    }
    if (value instanceof double[]) {
      return Kind.VECTOR;
    }
    if (value instanceof String) {
      return Kind.TEXT;
    }
    if (value instanceof Map) {
      return Kind.NESTED;
    }
    if (value instanceof Images) {
      return Kind.IMAGE;
    }
    if (value instanceof Artifact) {
      return Kind.ARTIFACT;
    }
    throw new IllegalArgumentException(
        "not a metric value: " + (value == null ? "null" : value.getClass().getName()));
  }

  /**
   * Calls {@code action} for every leaf value with its path joined by {@code separator}, in logged
   * order. Backends without nesting (TensorBoard, MLflow) use {@code "/"}.
   */
  public static void flatten(Map<String, Object> metrics, String separator, BiConsumer<String, Object> action) {
    flatten("", metrics, separator, action);
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> metrics, String sep, BiConsumer<String, Object> action) {
    for (Map.Entry<String, Object> e : metrics.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + sep + e.getKey();
      if (e.getValue() instanceof Map) {
        flatten(key, (Map<String, Object>) e.getValue(), sep, action);
      } else {
        action.accept(key, e.getValue());
      }
    }
  }

  /** The leaves of {@code metrics} as one flat, ordered map with paths joined by {@code separator}. */
  public static Map<String, Object> flatten(Map<String, Object> metrics, String separator) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten(metrics, separator, flat::put);
    return flat;
  }

  /** Looks up a value by a '/'-separated path into nested maps; {@code null} when absent. */
  @SuppressWarnings("unchecked")
  public static Object lookup(Map<String, Object> metrics, String path) {
    Object direct = metrics.get(path);
    if (direct != null || path.indexOf('/') < 0) {
      return direct;
    }
    Object current = metrics;
    for (String part : path.split("/", -1)) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(part);
    }
    return current;
  }

  /**
   * Whether any scalar or vector element in the metrics, at any depth, is NaN or infinite. A
   * {@link MetricMap} is walked by position, so the dispatcher's own maps are scanned without an
   * iterator.
   */
  @SuppressWarnings("unchecked")
  public static boolean hasNonFinite(Map<String, Object> metrics) {
    if (metrics instanceof MetricMap) {
      MetricMap m = (MetricMap) metrics;
      for (int i = 0; i < m.size(); i++) {
        if (nonFinite(m.valueAt(i))) {
          return true;
        }
      }
      return false;
    }
    for (Object v : metrics.values()) {
      if (nonFinite(v)) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static boolean nonFinite(Object v) {
    if (v instanceof Double) {
      return !Double.isFinite((Double) v);
    }
    if (v instanceof double[]) {
      for (double d : (double[]) v) {
        if (!Double.isFinite(d)) {
          return true;
        }
      }
      return false;
    }
    return v instanceof Map && hasNonFinite((Map<String, Object>) v);
  }

  /**
   * Whether any top-level value is an image or an artifact: such values live in files beside the
   * journal and are sampled by their own per-kind rule.
   */
  public static boolean hasFiles(Map<String, Object> metrics) {
    if (metrics instanceof MetricMap) {
      MetricMap m = (MetricMap) metrics;
      for (int i = 0; i < m.size(); i++) {
        Object v = m.valueAt(i);
        if (v instanceof Images || v instanceof Artifact) {
          return true;
        }
      }
      return false;
    }
    for (Object v : metrics.values()) {
      if (v instanceof Images || v instanceof Artifact) {
        return true;
      }
    }
    return false;
  }

  /** Equality that compares vectors by content and nested maps recursively (order-insensitive). */
  @SuppressWarnings("unchecked")
  public static boolean deepEquals(Map<String, Object> a, Map<String, Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.entrySet()) {
      Object x = e.getValue();
      Object y = b.get(e.getKey());
      if (x instanceof double[] && y instanceof double[]) {
        if (!Arrays.equals((double[]) x, (double[]) y)) {
          return false;
        }
      } else if (x instanceof Map && y instanceof Map) {
        if (!deepEquals((Map<String, Object>) x, (Map<String, Object>) y)) {
          return false;
        }
      } else if (x == null || !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** A readable rendering with vectors shown by content. */
  @SuppressWarnings("unchecked")
  public static String toString(Map<String, Object> metrics) {
    StringBuilder sb = new StringBuilder("{");
    Iterator<Map.Entry<String, Object>> it = metrics.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Object> e = it.next();
      sb.append(e.getKey()).append('=');
      Object v = e.getValue();
      if (v instanceof double[]) {
        sb.append(Arrays.toString((double[]) v));
      } else if (v instanceof Map) {
        sb.append(toString((Map<String, Object>) v));
      } else {
        sb.append(v);
      }
      if (it.hasNext()) {
        sb.append(", ");
      }
    }
    return sb.append('}').toString();
  }
}
