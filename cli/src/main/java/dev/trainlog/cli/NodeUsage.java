package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.EXP_META;
import static dev.trainlog.mongodb.StoreSchema.METRICS;
import static dev.trainlog.mongodb.StoreSchema.NODE;
import static dev.trainlog.mongodb.StoreSchema.RUN;

import dev.trainlog.mongodb.StoreSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * {@code show --nodes}: per node and device, the mean and max of the run's system metrics, computed by
 * the store in one {@code $group} by node (the seed's "compare resource utilisation" query).
 */
final class NodeUsage {

  /** The system metrics shown per node; GPU keys are {@code system/gpu<N>/...}, found in the run's summary. */
  private static final Pattern SHOWN = Pattern.compile(
      "system/(gpu\\d+)/(utilization_percent|memory_used_mb)|system/(cpu)/(host_percent|process_percent)"
          + "|system/(memory)/(host_used_mb|process_rss_mb)");

  /** One line of the table: {@code device} is {@code gpu0}, {@code cpu} or {@code memory}. */
  record Row(String node, String device, String metric, Double mean, Double max) {}

  private NodeUsage() {}

  /** The rows for {@code runId}, nodes in name order; {@code metricNames} are the run's logged keys. */
  static List<Row> of(Store store, String runId, List<String> metricNames) {
    List<String> keys = new ArrayList<>();
    for (String name : metricNames) {
      if (SHOWN.matcher(name).matches()) {
        keys.add(name);
      }
    }
    if (keys.isEmpty()) {
      return List.of();
    }
    // by name: cpu, then each GPU's metrics together, then memory, whatever order the summary keeps
    keys.sort(null);
    // regular collections keep run and node at the top, time-series ones under exp_meta
    Document group = new Document("_id", new Document("$ifNull", List.of("$" + NODE, "$" + EXP_META + "." + NODE)));
    for (int i = 0; i < keys.size(); i++) {
      // these keys hold no '.', '$' or '%', so the stored field name is the key itself
      group.append("mean" + i, new Document("$avg", "$" + METRICS + "." + keys.get(i)))
          .append("max" + i, new Document("$max", "$" + METRICS + "." + keys.get(i)));
    }
    List<Document> pipeline = List.of(
        new Document("$match", new Document("$or", List.of(new Document(RUN, runId),
            new Document("exp_meta.run", runId)))),
        new Document("$group", group),
        new Document("$sort", new Document("_id", 1)));
    List<Row> rows = new ArrayList<>();
    for (Document d : store.steps().aggregate(pipeline)) {
      for (int i = 0; i < keys.size(); i++) {
        Matcher m = SHOWN.matcher(keys.get(i));
        m.matches();
        String device = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
        String metric = m.group(2) != null ? m.group(2) : m.group(4) != null ? m.group(4) : m.group(6);
        Number mean = (Number) d.get("mean" + i);
        Number max = (Number) d.get("max" + i);
        if (mean != null || max != null) {
          rows.add(new Row(String.valueOf(d.get("_id")), device, metric,
              mean == null ? null : mean.doubleValue(), max == null ? null : max.doubleValue()));
        }
      }
    }
    return rows;
  }
}
