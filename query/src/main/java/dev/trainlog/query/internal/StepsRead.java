package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.METRICS;
import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.TIMESTAMP;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.query.spec.StepValues;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bson.Document;

/** Whole step documents of a run, as {@link StepValues}: for export, and for telling what kind each metric is. */
public final class StepsRead {

  private StepsRead() {}

  /** Every rank's steps of {@code run} in rank and step order, with the values of {@code metrics} only. */
  public static void each(MongoCollection<Document> steps, RunRecord run, List<String> metrics,
      Consumer<StepValues> action) {
    List<String> paths = metrics.stream().map(run::pathOf).toList();
    Document projection = new Document("_id", 0).append(RANK, 1).append(STEP, 1).append(TIMESTAMP, 1);
    paths.forEach(p -> projection.append(p, 1));
    FindIterable<Document> found = steps.find(new Document(RUN, run.run())).projection(projection)
        .sort(new Document(RANK, 1).append(STEP, 1));
    for (Document d : found) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = 0; i < paths.size(); i++) {
        Object v = Paths.at(d, paths.get(i));
        if (v != null) {
          values.put(metrics.get(i), v instanceof Document doc ? RunDocuments.unescaped(doc) : v);
        }
      }
      action.accept(values(run.run(), d, values));
    }
  }

  /** The first {@code limit} stored steps of the run's lowest rank with every metric, nested ones as maps. */
  public static void first(MongoCollection<Document> steps, RunRecord run, int limit, Consumer<StepValues> action) {
    for (Document d : steps.find(new Document(RUN, run.run()).append(RANK, run.lowestRank()))
        .projection(new Document("_id", 0).append(RANK, 1).append(STEP, 1).append(TIMESTAMP, 1).append(METRICS, 1))
        .limit(limit)) {
      action.accept(whole(run.run(), d));
    }
  }

  /** A stored step document of {@code run} with every metric, nested ones as maps, keys unescaped. */
  public static StepValues whole(String run, Document d) {
    return values(run, d, RunDocuments.unescaped(d.get(METRICS, Document.class)));
  }

  private static StepValues values(String run, Document d, Map<String, Object> metrics) {
    Date time = d.getDate(TIMESTAMP);
    return new StepValues(run, d.get(RANK) instanceof Number r ? r.intValue() : 0,
        d.get(STEP) instanceof Number s ? s.longValue() : -1, time == null ? null : time.toInstant(), metrics);
  }
}
