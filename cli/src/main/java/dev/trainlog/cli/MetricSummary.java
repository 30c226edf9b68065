package dev.trainlog.cli;

import dev.trainlog.mongodb.StoreSchema;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** One metric's entry of a run's stored {@code summary}: where its values live and what they were. */
record MetricSummary(String name, String path, long count, Long firstStep, Long lastStep, Double last, Double min,
    Double max, long nonFinite) {

  /** Every entry of a stored summary document, in stored order. */
  static List<MetricSummary> all(Document summary) {
    List<MetricSummary> out = new ArrayList<>();
    if (summary == null) {
      return out;
    }
    summary.forEach((key, value) -> {
      if (value instanceof Document) {
        Document d = (Document) value;
        out.add(new MetricSummary(StoreSchema.unescape(key), d.getString("path"), longOf(d.get("count")),
            boxedLong(d.get("first_step")), boxedLong(d.get("last_step")), boxedDouble(d.get("last")),
            boxedDouble(d.get("min")), boxedDouble(d.get("max")), longOf(d.get("nan"))));
      }
    });
    return out;
  }

  private static long longOf(Object o) {
    return o instanceof Number ? ((Number) o).longValue() : 0;
  }

  private static Long boxedLong(Object o) {
    return o instanceof Number ? ((Number) o).longValue() : null;
  }

  private static Double boxedDouble(Object o) {
    return o instanceof Number ? ((Number) o).doubleValue() : null;
  }
}
