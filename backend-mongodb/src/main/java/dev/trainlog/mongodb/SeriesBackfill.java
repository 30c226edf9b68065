package dev.trainlog.mongodb;

import static dev.trainlog.mongodb.schema.StoreSchema.RUN;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.mongodb.internal.SeriesRebuild;
import dev.trainlog.mongodb.schema.StoreSchema;
import java.util.LinkedHashSet;
import java.util.Set;
import org.bson.Document;

/**
 * Rebuilds the series rollups (charts and reached-within read them instead of every step) of runs whose
 * steps were stored before the MongoDB backend wrote rollups, from their step documents, exactly as the
 * backend would have written them. Idempotent; meant for runs that no longer write (a running run's
 * backend replaces its buckets as it goes).
 */
public final class SeriesBackfill {

  /** What one run's rebuild did: step documents read, scalar points folded, buckets written, stale ones removed. */
  public record Rebuilt(String run, long steps, long points, int buckets, long removed) {}

  private final MongoCollection<Document> steps;
  private final MongoCollection<Document> rollups;

  private SeriesBackfill(MongoCollection<Document> steps, MongoCollection<Document> rollups) {
    this.steps = steps;
    this.rollups = rollups;
  }

  /** Over the step collection {@code stepsCollection} of {@code db} and its rollup collection beside it. */
  public static SeriesBackfill on(MongoDatabase db, String stepsCollection) {
    return new SeriesBackfill(db.getCollection(stepsCollection),
        db.getCollection(StoreSchema.seriesCollection(stepsCollection)));
  }

  /** The runs that have at least one rollup document. */
  public Set<String> runsWithRollups() {
    return rollups.distinct(RUN, String.class).into(new LinkedHashSet<>());
  }

  /** Replaces {@code run}'s rollups with the ones its step documents give. */
  public Rebuilt rebuild(String run) {
    SeriesRebuild.Result r = SeriesRebuild.run(steps, rollups, run);
    return new Rebuilt(run, r.steps(), r.points(), r.buckets(), r.removed());
  }
}
