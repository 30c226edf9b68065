package dev.trainlog.mongodb.internal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Per scalar metric of a run (and rank): how many stored points, the first and last step, the last
 * value, the finite minimum and maximum and how many values were NaN or infinite. Kept in the runs
 * document as {@code summary}, so listing runs needs no scan of the step collection. Keys are the
 * metric names with nested maps joined by {@code /} and escaped by {@link KeyEscaping}; {@code path}
 * is where the values are stored in a step document.
 */
final class RunSummary {

  private final Map<String, Entry> metrics = new LinkedHashMap<>();

  /** Folds in one stored record. */
  void add(LogRecord record) {
    add("", new ArrayList<>(), record.metrics(), record.step());
  }

  @SuppressWarnings("unchecked")
  private void add(String prefix, List<String> path, Map<String, Object> values, long step) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String name = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
      List<String> childPath = new ArrayList<>(path);
      childPath.add(KeyEscaping.escape(e.getKey()));
      Object v = e.getValue();
      switch (MetricValues.kindOf(v)) {
        case SCALAR -> metrics.computeIfAbsent(name, n -> new Entry("metrics." + String.join(".", childPath)))
            .add(step, (Double) v);
        case NESTED -> add(name, childPath, (Map<String, Object>) v, step);
        case VECTOR, TEXT, IMAGE, ARTIFACT -> { } // summaries are of scalars
      }
    }
  }

  /** The stored form: {@code {<metric>: {path, count, first_step, last_step, last, min, max, nan}}}. */
  Document toDocument() {
    Document out = new Document();
    metrics.forEach((name, e) -> out.append(KeyEscaping.escape(name), e.toDocument()));
    return out;
  }

  /** A summary continuing from a stored one (a resumed run), or empty when there is none. */
  static RunSummary from(Document stored) {
    RunSummary summary = new RunSummary();
    if (stored != null) {
      stored.forEach((key, value) -> {
        if (value instanceof Document) {
          summary.metrics.put(KeyEscaping.unescape(key), Entry.from((Document) value));
        }
      });
    }
    return summary;
  }

  boolean isEmpty() {
    return metrics.isEmpty();
  }

  private static final class Entry {
    final String path;
    long count;
    long firstStep = Long.MAX_VALUE;
    long lastStep = Long.MIN_VALUE;
    double last = Double.NaN;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long nonFinite;

    Entry(String path) {
      this.path = path;
    }

    void add(long step, double value) {
      count++;
      firstStep = Math.min(firstStep, step);
      if (step >= lastStep) {
        lastStep = step;
        last = value;
      }
      if (Double.isFinite(value)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
      } else {
        nonFinite++;
      }
    }

    Document toDocument() {
      boolean anyFinite = count > nonFinite;
      return new Document("path", path)
          .append("count", count)
          .append("first_step", count == 0 ? null : firstStep)
          .append("last_step", count == 0 ? null : lastStep)
          .append("last", count == 0 ? null : last)
          .append("min", anyFinite ? min : null)
          .append("max", anyFinite ? max : null)
          .append("nan", nonFinite);
    }

    static Entry from(Document d) {
      Entry e = new Entry(d.getString("path"));
      e.count = number(d.get("count"), 0).longValue();
      e.nonFinite = number(d.get("nan"), 0).longValue();
      if (d.get("first_step") != null) {
        e.firstStep = number(d.get("first_step"), 0).longValue();
        e.lastStep = number(d.get("last_step"), 0).longValue();
        e.last = number(d.get("last"), Double.NaN).doubleValue();
      }
      if (d.get("min") != null) {
        e.min = number(d.get("min"), Double.POSITIVE_INFINITY).doubleValue();
        e.max = number(d.get("max"), Double.NEGATIVE_INFINITY).doubleValue();
      }
      return e;
    }

    private static Number number(Object o, Number fallback) {
      return o instanceof Number ? (Number) o : fallback;
    }
  }
}
