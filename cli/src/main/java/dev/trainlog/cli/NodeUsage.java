package dev.trainlog.cli;

import dev.trainlog.query.spec.NodeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code show --nodes}: per node and device, the mean and max of the run's system metrics, computed by
 * the store in one {@code $group} by node ({@code TrainlogStore.perNode}).
 */
final class NodeUsage {

  /** The system metrics shown per node; GPU keys are {@code system/gpu<N>/...}, found in the run's summary. */
  private static final Pattern SHOWN = Pattern.compile(
      "system/(gpu\\d+)/(utilization_percent|memory_used_mb)|system/(cpu)/(host_percent|process_percent)"
          + "|system/(memory)/(host_used_mb|process_rss_mb)");

  /** One line of the table: {@code device} is {@code gpu0}, {@code cpu} or {@code memory}. */
  record Row(String node, String device, String metric, Double mean, Double max) {}

  private NodeUsage() {}

  /** The rows for {@code run}, nodes in name order; {@code metricNames} are the run's logged keys. */
  static List<Row> of(Store store, RunView run, List<String> metricNames) {
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
    List<Row> rows = new ArrayList<>();
    for (NodeStats n : store.query().perNode(run.record(), keys)) {
      Matcher m = SHOWN.matcher(n.metric());
      m.matches();
      String device = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
      String metric = m.group(2) != null ? m.group(2) : m.group(4) != null ? m.group(4) : m.group(6);
      rows.add(new Row(n.node(), device, metric, n.mean(), n.max()));
    }
    return rows;
  }
}
