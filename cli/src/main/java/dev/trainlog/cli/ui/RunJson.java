package dev.trainlog.cli.ui;

import dev.trainlog.query.spec.AlertFired;
import dev.trainlog.query.spec.MetricStats;
import dev.trainlog.query.spec.RankDelivery;
import dev.trainlog.query.spec.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a run reads in the API: one row of the runs list, or the whole run. */
final class RunJson {

  private RunJson() {}

  /** A row: id, name, experiment, status (STALE included), start, duration, last step, last and best of {@code metric}. */
  static Map<String, Object> row(RunRecord r, Instant now, String metric) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", r.run());
    m.put("name", r.name());
    m.put("experiment", r.experiment());
    m.put("status", r.status(now));
    m.put("start", r.start() == null ? null : r.start().toString());
    m.put("end", r.end() == null ? null : r.end().toString());
    Instant until = r.end() != null ? r.end() : r.heartbeat();
    m.put("duration_s", r.start() == null || until == null ? null : Duration.between(r.start(), until).getSeconds());
    m.put("ranks", r.worldSize() == 1 && r.ranksReported() == 1 ? "1" : r.ranksReported() + "/" + r.worldSize());
    m.put("last_step", r.lastStep());
    m.put("metric", metric);
    MetricStats s = r.summary().get(metric);
    m.put("last", s == null ? null : Json.number(s.last()));
    m.put("best", s == null ? null : Json.number(s.min()));
    return m;
  }

  /**
   * The whole run: the row plus config, tags, provenance, backends with their sampling, how far each rank
   * reached the store, host and the summary.
   */
  static Map<String, Object> full(RunRecord r, Instant now, List<RankDelivery> delivery) {
    Map<String, Object> m = row(r, now, "loss");
    m.remove("metric");
    m.remove("last");
    m.remove("best");
    m.put("host", r.host());
    m.put("heartbeat", r.heartbeat() == null ? null : r.heartbeat().toString());
    m.put("config", r.config());
    m.put("tags", r.tags());
    m.put("provenance", r.provenance());
    m.put("backends", r.backends());
    m.put("delivery", delivery.stream().map(RunJson::delivery).toList());
    List<Map<String, Object>> summary = new ArrayList<>();
    for (MetricStats s : r.summary().values()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("metric", s.name());
      e.put("count", s.count());
      e.put("first_step", s.firstStep());
      e.put("last_step", s.lastStep());
      e.put("last", Json.number(s.last()));
      e.put("min", Json.number(s.min()));
      e.put("max", Json.number(s.max()));
      e.put("non_finite", s.nonFinite());
      summary.add(e);
    }
    m.put("summary", summary);
    return m;
  }

  private static Map<String, Object> delivery(RankDelivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rank", d.rank());
    m.put("status", d.status());
    m.put("stored_step", d.storedStep());
    m.put("stored_at", d.storedAt() == null ? null : d.storedAt().toString());
    m.put("reported_step", d.reportedStep());
    m.put("heartbeat", d.heartbeat() == null ? null : d.heartbeat().toString());
    return m;
  }

  /** One alert rule's outcome: the rule, whether and how often it fired, its first and last firing. */
  static Map<String, Object> alert(AlertFired f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", f.check().text());
    m.put("metric", f.check().metric());
    m.put("fired", f.fired());
    m.put("count", f.count());
    m.put("first_step", f.firstStep());
    m.put("first_time", f.firstTime() == null ? null : f.firstTime().toString());
    m.put("first_value", f.firstValue() == null ? null : Json.number(f.firstValue()));
    m.put("last_step", f.lastStep());
    return m;
  }
}
