package dev.trainlog.core.internal.sampling;

import dev.trainlog.api.MetricMap;
import dev.trainlog.api.MetricValues;
import dev.trainlog.core.spec.Reduce;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds the values one metric key takes over a reduce window. Scalars and same-length vectors are
 * reduced in place without allocating; a change of shape (kind or vector length) degrades the key to
 * "last value" for the rest of the window, since no reduction of mixed shapes is meaningful.
 */
abstract class Accumulator {

  /** Folds one more value; returns the accumulator to keep using (this one, or a "last" one). */
  abstract Accumulator add(Object value);

  /** The reduced value, one of the metric value types. */
  abstract Object result();

  @SuppressWarnings("unchecked")
  static Accumulator start(Reduce reduce, Object value) {
    MetricValues.Kind kind = MetricValues.kindOf(value);
    if (kind == MetricValues.Kind.NESTED) {
      Nested n = new Nested(reduce);
      n.fold((Map<String, Object>) value);
      return n;
    }
    if (reduce == Reduce.LAST || kind == MetricValues.Kind.TEXT || kind == MetricValues.Kind.IMAGE
        || kind == MetricValues.Kind.ARTIFACT) {
      return new Last(value);
    }
    return kind == MetricValues.Kind.SCALAR ? new Scalar(reduce, (Double) value) : new Vector(reduce, (double[]) value);
  }

  private static double combine(Reduce reduce, double acc, double v) {
    switch (reduce) {
      case MIN:
        return Math.min(acc, v);
      case MAX:
        return Math.max(acc, v);
      default:
        return acc + v;
    }
  }

  /** Keeps the most recent value: texts, {@code reduce: last}, and keys whose shape changed. */
  static final class Last extends Accumulator {
    private Object value;

    Last(Object value) {
      this.value = value;
    }

    @Override
    Accumulator add(Object v) {
      value = v;
      return this;
    }

    @Override
    Object result() {
      return value;
    }
  }

  private static final class Scalar extends Accumulator {
    private final Reduce reduce;
    private double acc;
    private int count;

    Scalar(Reduce reduce, double first) {
      this.reduce = reduce;
      this.acc = first;
      this.count = 1;
    }

    @Override
    Accumulator add(Object v) {
      if (!(v instanceof Double)) {
        return new Last(v);
      }
      acc = combine(reduce, acc, (Double) v);
      count++;
      return this;
    }

    @Override
    Object result() {
      return reduce == Reduce.MEAN ? acc / count : acc;
    }
  }

  private static final class Vector extends Accumulator {
    private final Reduce reduce;
    private final double[] acc;
    private int count;

    Vector(Reduce reduce, double[] first) {
      this.reduce = reduce;
      // Logged arrays are shared with other backends, so the window folds into its own copy.
      this.acc = first.clone();
      this.count = 1;
    }

    @Override
    Accumulator add(Object v) {
      if (!(v instanceof double[]) || ((double[]) v).length != acc.length) {
        return new Last(v);
      }
      double[] x = (double[]) v;
      for (int i = 0; i < acc.length; i++) {
        acc[i] = combine(reduce, acc[i], x[i]);
      }
      count++;
      return this;
    }

    @Override
    Object result() {
      double[] out = acc.clone();
      if (reduce == Reduce.MEAN) {
        for (int i = 0; i < out.length; i++) {
          out[i] /= count;
        }
      }
      return out;
    }
  }

  private static final class Nested extends Accumulator {
    private final Reduce reduce;
    private final Map<String, Accumulator> children = new LinkedHashMap<>();

    Nested(Reduce reduce) {
      this.reduce = reduce;
    }

    void fold(Map<String, Object> map) {
      for (Map.Entry<String, Object> e : map.entrySet()) {
        Accumulator a = children.get(e.getKey());
        if (a == null) {
          children.put(e.getKey(), start(reduce, e.getValue()));
        } else {
          Accumulator next = a.add(e.getValue());
          if (next != a) {
            children.put(e.getKey(), next);
          }
        }
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    Accumulator add(Object v) {
      if (!(v instanceof Map)) {
        return new Last(v);
      }
      fold((Map<String, Object>) v);
      return this;
    }

    @Override
    Object result() {
      Map<String, Object> out = new LinkedHashMap<>();
      children.forEach((k, a) -> out.put(k, a.result()));
      return MetricMap.copyOf(out);
    }
  }
}
