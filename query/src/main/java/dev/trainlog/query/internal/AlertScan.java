package dev.trainlog.query.internal;

import com.mongodb.client.MongoCollection;
import dev.trainlog.query.spec.AlertCheck;
import dev.trainlog.query.spec.AlertFired;
import dev.trainlog.query.spec.RunRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.bson.Document;

/**
 * Checks an alert rule against every stored point of a run's lowest rank, in step order. The store keeps
 * no record of alerts ({@code watch --alert} prints them, {@code AlertWatcher} calls a listener), so what
 * fired is worked out again from the points, the same way on every server.
 */
public final class AlertScan {

  private AlertScan() {}

  /** How {@code check} fired over the stored points of {@code run}. */
  public static AlertFired scan(MongoCollection<Document> steps, RunRecord run, AlertCheck check) {
    SeriesRead values = SeriesRead.read(steps, run.run(), run.lowestRank(), run.pathOf(check.metric()), -1);
    Map<Long, Double> totals = new HashMap<>();
    if (check.totalMetric() != null) {
      SeriesRead t = SeriesRead.read(steps, run.run(), run.lowestRank(), run.pathOf(check.totalMetric()), -1);
      for (int i = 0; i < t.steps().length; i++) {
        totals.put(t.steps()[i], t.values()[i]);
      }
    }
    long count = 0;
    int first = -1;
    int last = -1;
    for (int i = 0; i < values.steps().length; i++) {
      double total = totals.getOrDefault(values.steps()[i], Double.NaN);
      if (check.fires(values.values()[i], total)) {
        count++;
        first = first < 0 ? i : first;
        last = i;
      }
    }
    if (first < 0) {
      return new AlertFired(check, 0, null, null, null, null);
    }
    return new AlertFired(check, count, values.steps()[first], Instant.ofEpochMilli(values.times()[first]),
        values.values()[first], values.steps()[last]);
  }
}
