package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.TIMESTAMP;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Reads one metric of one run (its lowest rank) in a single query with a projection of step, time and
 * the metric's path; points come back in insertion order and are sorted here only when they are not
 * already in step order, so the server does no sort.
 */
public final class SeriesRead {

  private long[] steps = new long[1024];
  private long[] times = new long[1024];
  private double[] values = new double[1024];
  private int n;
  private boolean sorted = true;

  /** The points of {@code path} for {@code run} and {@code rank} with a step above {@code afterStep}. */
  public static SeriesRead read(MongoCollection<Document> stepsCollection, String run, int rank, String path,
      long afterStep) {
    return read(stepsCollection, run, rank, List.of(path), afterStep).get(0);
  }

  /**
   * The points of each of {@code paths} (one read per path, in order) from a single query with a projection
   * of those paths; a document lacking a path adds no point to that path's read.
   */
  public static List<SeriesRead> read(MongoCollection<Document> stepsCollection, String run, int rank,
      List<String> paths, long afterStep) {
    List<SeriesRead> reads = new ArrayList<>();
    paths.forEach(p -> reads.add(new SeriesRead()));
    Document filter = new Document(RUN, run).append(RANK, rank);
    if (afterStep >= 0) {
      filter.append(STEP, new Document("$gt", afterStep));
    }
    if (paths.size() == 1) {
      filter.append(paths.get(0), new Document("$exists", true));
    }
    Document projection = new Document("_id", 0).append(STEP, 1).append(TIMESTAMP, 1);
    paths.forEach(p -> projection.append(p, 1));
    for (Document d : stepsCollection.find(filter).projection(projection).batchSize(10_000)) {
      if (!(d.get(STEP) instanceof Number s)) {
        continue;
      }
      Date time = d.getDate(TIMESTAMP);
      for (int i = 0; i < paths.size(); i++) {
        if (Paths.at(d, paths.get(i)) instanceof Number value) {
          reads.get(i).add(s.longValue(), time == null ? 0 : time.getTime(), value.doubleValue());
        }
      }
    }
    reads.forEach(SeriesRead::sortIfNeeded);
    return reads;
  }

  private void add(long step, long time, double value) {
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

  private void sortIfNeeded() {
    steps = Arrays.copyOf(steps, n);
    times = Arrays.copyOf(times, n);
    values = Arrays.copyOf(values, n);
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long[] s = steps.clone();
    long[] t = times.clone();
    double[] v = values.clone();
    Arrays.sort(order, (a, b) -> Long.compare(s[a], s[b]));
    for (int i = 0; i < n; i++) {
      steps[i] = s[order[i]];
      times[i] = t[order[i]];
      values[i] = v[order[i]];
    }
  }

  public long[] steps() {
    return steps;
  }

  public long[] times() {
    return times;
  }

  public double[] values() {
    return values;
  }
}
