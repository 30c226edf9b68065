package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.SUMMARY_COUNT;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY_FIRST_STEP;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY_LAST;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY_LAST_STEP;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY_MAX;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY_MIN;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY_NAN;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY_PATH;

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
        out.add(new MetricSummary(StoreSchema.unescape(key), d.getString(SUMMARY_PATH), longOf(d.get(SUMMARY_COUNT)),
            boxedLong(d.get(SUMMARY_FIRST_STEP)), boxedLong(d.get(SUMMARY_LAST_STEP)), boxedDouble(d.get(SUMMARY_LAST)),
            boxedDouble(d.get(SUMMARY_MIN)), boxedDouble(d.get(SUMMARY_MAX)), longOf(d.get(SUMMARY_NAN))));
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
