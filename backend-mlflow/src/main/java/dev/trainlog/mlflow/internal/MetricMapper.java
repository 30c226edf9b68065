package dev.trainlog.mlflow.internal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records into metric items: scalars as they are, nested maps flattened with {@code /},
 * vectors per the {@code vectors} setting, and texts skipped (counted, warned once) or kept for a
 * tag at the end of the run.
 */
final class MetricMapper {

  private static final Logger LOG = LoggerFactory.getLogger(MetricMapper.class);

  private final ItemFactory items;
  private final MlflowSettings.VectorMode vectors;
  private final MlflowSettings.TextMode text;
  private final Map<String, String> lastTexts = new LinkedHashMap<>();
  private long skippedTexts;

  MetricMapper(ItemFactory items, MlflowSettings.VectorMode vectors, MlflowSettings.TextMode text) {
    this.items = items;
    this.vectors = vectors;
    this.text = text;
  }

  List<BatchItem> map(List<LogRecord> batch) {
    List<BatchItem> out = new ArrayList<>();
    for (LogRecord record : batch) {
      MetricValues.flatten(record.metrics(), "/", (key, value) -> add(out, record, key, value));
    }
    return out;
  }

  private void add(List<BatchItem> out, LogRecord record, String key, Object value) {
    switch (MetricValues.kindOf(value)) {
      case SCALAR -> out.add(items.metric(key, (Double) value, record));
      case VECTOR -> addVector(out, record, key, (double[]) value);
      case TEXT -> {
        if (text == MlflowSettings.TextMode.TAG_AT_END) {
          lastTexts.put(key, (String) value);
        } else if (skippedTexts++ == 0) {
          LOG.warn("MLflow has no text metrics: text values such as '{}' are skipped (set text: tag-at-end to"
              + " keep the last one as a run tag); this is warned once", key);
        }
      }
      case NESTED -> { } // flatten() hands over leaves only
    }
  }

  private void addVector(List<BatchItem> out, LogRecord record, String key, double[] v) {
    switch (vectors) {
      case ELEMENTS -> {
        for (int i = 0; i < v.length; i++) {
          out.add(items.metric(key + "/" + i, v[i], record));
        }
      }
      case SUMMARY -> {
        if (v.length == 0) {
          return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double d : v) {
          // Math.min/max propagate NaN, as a summary of a vector holding NaN should
          min = Math.min(min, d);
          max = Math.max(max, d);
          sum += d;
        }
        out.add(items.metric(key + "/min", min, record));
        out.add(items.metric(key + "/max", max, record));
        out.add(items.metric(key + "/mean", sum / v.length, record));
      }
      case SKIP -> { }
    }
  }

  /** The last value of each text key, for {@code text: tag-at-end}. */
  Map<String, String> lastTexts() {
    return lastTexts;
  }

  /** How many text values were skipped. */
  long skippedTexts() {
    return skippedTexts;
  }
}
