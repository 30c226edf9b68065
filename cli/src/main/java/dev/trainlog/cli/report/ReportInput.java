package dev.trainlog.cli.report;

import java.util.List;
import java.util.Map;

/**
 * Everything a compare report shows.
 *
 * @param title the page title
 * @param metrics the metrics, one chart each, in the order asked for
 * @param curves every (run, metric) pair that has points, full resolution
 * @param configs each run's flattened config, keyed by run id, in run order
 * @param missing "run id: metric" for every pair without a point, listed on the page
 * @param x {@code step} or {@code time} (seconds since the run's first point)
 * @param smooth the initial smoothing weight, 0 (none) to below 1
 */
public record ReportInput(String title, List<String> metrics, List<Curve> curves,
    Map<String, Map<String, Object>> configs, List<String> missing, String x, double smooth) {}
