package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Of the documents an aggregate of the shape {@code $match, $sort, $group {_id: "$run", ...: {$first: ...}}} reads,
 * only those that can reach the group: per run, the matching documents that sort first (all of them when several
 * tie), in the order they were read, since the sort is stable. The server's own matcher and sort order decide,
 * and the pipeline then runs unchanged over what is left, so its answer is the one a scan gives; what this saves
 * is the server sorting and grouping every matching step of every run. Documents whose run is not a string pass
 * through whole.
 */
final class FirstPerRun {

  private FirstPerRun() {}

  static Stream<Document> of(Stream<Document> read, Document match, Document sort, Comparator<Object> order) {
    DefaultQueryMatcher matcher = new DefaultQueryMatcher();
    // a document read under its run holds that run, one of those the match names: matching the rest is enough,
    // and spares the server's linear $in over every run for every document
    Document rest = new Document();
    match.forEach((k, v) -> {
      if (!k.equals(RunFieldIndex.FIELD)) {
        rest.put(k, v);
      }
    });
    DocumentComparator bySort = new DocumentComparator(sort);
    Map<Object, List<Document>> firsts = new LinkedHashMap<>();
    List<Document> others = new ArrayList<>();
    read.forEach(d -> {
      Object run = d.get(RunFieldIndex.FIELD);
      if (!(run instanceof String)) {
        if (matcher.matches(d, match)) {
          others.add(d);
        }
        return;
      }
      if (!matcher.matches(d, rest)) {
        return;
      }
      List<Document> best = firsts.get(run);
      int c = best == null ? -1 : bySort.compare(d, best.get(0));
      if (c < 0) {
        best = new ArrayList<>(1);
        firsts.put(run, best);
      }
      if (c <= 0) {
        best.add(d);
      }
    });
    List<Document> kept = new ArrayList<>(others);
    firsts.values().forEach(kept::addAll);
    // back into the order they were read in (a stable sort of what was read)
    kept.sort((a, b) -> order.compare(a.get("_id"), b.get("_id")));
    return kept.stream();
  }
}
