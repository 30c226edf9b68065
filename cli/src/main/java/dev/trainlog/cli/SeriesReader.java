package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.RANK;
import static dev.trainlog.mongodb.StoreSchema.RUN;
import static dev.trainlog.mongodb.StoreSchema.STEP;
import static dev.trainlog.mongodb.StoreSchema.TIMESTAMP;

import dev.trainlog.mongodb.StoreSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Reads the curves of one run in a single query: {@code {run, rank}} with a projection of the step,
 * its time and the wanted metrics. Points come back in insertion order and are sorted here only
 * when they are not already in step order, so the server does no sort.
 */
final class SeriesReader {

  private SeriesReader() {}

  /** The filter that selects one run's documents (its lowest rank speaks for the run). */
  static Document filter(RunView run) {
    return new Document(RUN, run.runId()).append(RANK, run.lowestRank());
  }

  /** The projection that reads only the step, the time and {@code paths}. */
  static Document projection(List<String> paths) {
    Document p = new Document("_id", 0).append(STEP, 1).append(TIMESTAMP, 1);
    paths.forEach(path -> p.append(path, 1));
    return p;
  }

  /** Every wanted metric of {@code run}, keyed by metric name; a metric with no point maps to an empty series. */
  static Map<String, Series> read(Store store, RunView run, List<String> metrics) {
    List<String> paths = metrics.stream().map(run::pathOf).toList();
    List<Builder> builders = new ArrayList<>();
    metrics.forEach(m -> builders.add(new Builder()));
    for (Document d : store.steps().find(filter(run)).projection(projection(paths)).batchSize(10_000)) {
      Object step = d.get(STEP);
      if (!(step instanceof Number)) {
        continue;
      }
      Date time = d.getDate(TIMESTAMP);
      for (int i = 0; i < paths.size(); i++) {
        Object v = at(d, paths.get(i));
        if (v instanceof Number) {
          builders.get(i).add(((Number) step).longValue(), time == null ? 0 : time.getTime(), ((Number) v).doubleValue());
        }
      }
    }
    Map<String, Series> out = new LinkedHashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      out.put(metrics.get(i), builders.get(i).build(run, metrics.get(i)));
    }
    return out;
  }

  /** The value at a dotted path of nested documents, or null. */
  static Object at(Document d, String path) {
    Object v = d;
    int from = 0;
    while (v instanceof Document) {
      int dot = path.indexOf('.', from);
      String part = dot < 0 ? path.substring(from) : path.substring(from, dot);
      v = ((Document) v).get(part);
      if (dot < 0) {
        return v;
      }
      from = dot + 1;
    }
    return null;
  }

  private static final class Builder {
    long[] steps = new long[1024];
    long[] times = new long[1024];
    double[] values = new double[1024];
    int n;
    boolean sorted = true;

    void add(long step, long time, double value) {
      if (n == steps.length) {
        steps = Arrays.copyOf(steps, n * 2);
        times = Arrays.copyOf(times, n * 2);
        values = Arrays.copyOf(values, n * 2);
      }
      if (n > 0 && step < steps[n - 1]) {
        sorted = false;
      }
      steps[n] = step;
      times[n] = time;
      values[n] = value;
      n++;
    }

    Series build(RunView run, String metric) {
      long[] s = Arrays.copyOf(steps, n);
      long[] t = Arrays.copyOf(times, n);
      double[] v = Arrays.copyOf(values, n);
      if (!sorted) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(steps[a], steps[b]));
        for (int i = 0; i < n; i++) {
          s[i] = steps[order[i]];
          t[i] = times[order[i]];
          v[i] = values[order[i]];
        }
      }
      return new Series(run, metric, s, t, v);
    }
  }
}
