package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import dev.trainlog.mongodb.internal.service.CoveredQuery.Cover;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The aggregate a worker thread is running, when its pipeline starts with a {@code $match}: the library scans
 * the whole collection before the first stage, and the collection uses this to read only the runs the
 * {@code $match} names through its run index (from the records when {@link #cover} allows: the match
 * and the projection {@link AggregateNarrowing} put after it read only covered fields). The {@code $match} still runs
 * over what is read, so the answer is the same as a scan's. When the stages up to the first {@code $group} are
 * only a {@code $sort} and that group takes the {@code $first} of each run (the seed's reached-within shape),
 * {@link #firstBy} is that sort: of each run only the matching documents that sort first can reach the group,
 * so the collection reads only those on (see {@link FirstPerRun}).
 */
record AggregateScope(String database, String collection, Document match, Cover cover, Document firstBy) {

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
    Document projection = pipeline.size() > 1 && pipeline.get(1) instanceof Document stage && stage.size() == 1
        && stage.get("$project") instanceof Document p ? p : null;
    Cover cover = projection == null ? Cover.NONE : CoveredQuery.cover(match, null, projection);
    Document firstBy = firstBy(pipeline.subList(projection != null ? 2 : 1, pipeline.size()));
    if (firstBy != null && projection != null && !keeps(projection, firstBy)) {
      firstBy = null;
    }
    return Optional.of(new AggregateScope(database, (String) collection, match, cover, firstBy));
  }

  /** Whether {@code projection} only includes fields, {@code run} and the sort's among them, so they reach the sort. */
  private static boolean keeps(Document projection, Document sort) {
    for (var e : projection.entrySet()) {
      if (!(e.getValue() instanceof Number || e.getValue() instanceof Boolean)
          || !e.getKey().equals("_id") && !CoveredQuery.isTrue(e.getValue())) {
        return false;
      }
    }
    return projection.containsKey(RunFieldIndex.FIELD) && sort.keySet().stream().allMatch(projection::containsKey);
  }

  /** The sort of {@code rest} when it starts with a {@code $sort} then a {@code $group} of {@code $first}s by run. */
  private static Document firstBy(List<Object> rest) {
    if (rest.size() < 2 || !(rest.get(0) instanceof Document sort) || sort.size() != 1
        || !(sort.get("$sort") instanceof Document by) || !(rest.get(1) instanceof Document group)
        || group.size() != 1 || !(group.get("$group") instanceof Document spec)
        || !("$" + RunFieldIndex.FIELD).equals(spec.get("_id"))) {
      return null;
    }
    for (var e : spec.entrySet()) {
      if (!e.getKey().equals("_id")
          && !(e.getValue() instanceof Document acc && acc.size() == 1 && acc.containsKey("$first"))) {
        return null;
      }
    }
    return by;
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
