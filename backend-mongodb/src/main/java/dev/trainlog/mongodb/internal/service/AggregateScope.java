package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The aggregate a worker thread is running, when its pipeline starts with a {@code $match}: the library scans
 * the whole collection before the first stage, and the collection uses this to read only the runs the
 * {@code $match} names through its run index (from the records when {@link #covered}: the match and the
 * projection {@link AggregateNarrowing} put after it read only covered fields). The {@code $match} still runs
 * over what is read, so the answer is the same as a scan's.
 */
record AggregateScope(String database, String collection, Document match, boolean covered) {

  private static final ThreadLocal<AggregateScope> CURRENT = new ThreadLocal<>();

  /** The scope of an aggregate of {@code collection} (the command's value) running {@code pipeline}, if it has one. */
  static Optional<AggregateScope> of(String database, Object collection, List<Object> pipeline) {
    if (!(collection instanceof String) || pipeline.isEmpty() || !(pipeline.get(0) instanceof Document)) {
      return Optional.empty();
    }
    Document first = (Document) pipeline.get(0);
    if (first.size() != 1 || !(first.get("$match") instanceof Document)) {
      return Optional.empty();
    }
    Document match = (Document) first.get("$match");
    boolean covered = pipeline.size() > 1 && pipeline.get(1) instanceof Document
        && ((Document) pipeline.get(1)).size() == 1 && ((Document) pipeline.get(1)).get("$project") instanceof Document
        && CoveredQuery.answers(match, null, (Document) ((Document) pipeline.get(1)).get("$project"));
    return Optional.of(new AggregateScope(database, (String) collection, match, covered));
  }

  /**
   * The scope of the aggregate this thread runs over {@code database.collection}, if any; only once, for the
   * scan before the first stage (a later {@code $lookup} of the same collection scans it whole).
   */
  static Optional<AggregateScope> take(String database, String collection) {
    AggregateScope scope = CURRENT.get();
    if (scope != null && scope.database.equals(database) && scope.collection.equals(collection)) {
      CURRENT.remove();
      return Optional.of(scope);
    }
    return Optional.empty();
  }

  /** Runs {@code command} (the aggregate) with this scope current on this thread. */
  <T> T run(Supplier<T> command) {
    CURRENT.set(this);
    try {
      return command.get();
    } finally {
      CURRENT.remove();
    }
  }
}
