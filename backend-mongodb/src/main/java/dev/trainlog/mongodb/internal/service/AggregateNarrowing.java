package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Narrows an aggregate that starts {@code $match}, then sorts and groups (the seed's query), to the fields
 * its stages up to the first {@code $group} read, with a {@code $project} right after the {@code $match}, as
 * MongoDB's own dependency analysis does. The server library keeps every document a {@code $sort} holds
 * whole; narrowed, the seed's aggregate over 2M step documents fits the service's default heap.
 */
final class AggregateNarrowing {

  /** The stages that may come between the {@code $match} and the {@code $group}: they keep documents whole. */
  private static final Set<String> PASS_THROUGH = Set.of("$sort", "$limit", "$skip");

  private AggregateNarrowing() {}

  /**
   * The pipeline with the projection inserted, or {@code pipeline} itself when it does not have the shape
   * (a stage that could read any field, a {@code $$} variable, no {@code $group}).
   */
  static List<Object> narrow(List<Object> pipeline) {
    if (pipeline.size() < 2 || stageName(pipeline.get(0)).filter("$match"::equals).isEmpty()) {
      return pipeline;
    }
    Set<String> fields = new TreeSet<>();
    for (int i = 1; i < pipeline.size(); i++) {
      String name = stageName(pipeline.get(i)).orElse("");
      Object spec = ((Document) pipeline.get(i)).get(name);
      if (name.equals("$sort") && spec instanceof Document) {
        fields.addAll(((Document) spec).keySet());
      } else if (name.equals("$group")) {
        if (!references(spec, fields) || fields.isEmpty()) {
          return pipeline;
        }
        List<Object> narrowed = new ArrayList<>(pipeline);
        narrowed.add(1, new Document("$project", projection(fields)));
        return narrowed;
      } else if (!PASS_THROUGH.contains(name)) {
        return pipeline;
      }
    }
    return pipeline;
  }

  private static java.util.Optional<String> stageName(Object stage) {
    if (stage instanceof Document && ((Document) stage).size() == 1) {
      return java.util.Optional.of(((Document) stage).keySet().iterator().next());
    }
    return java.util.Optional.empty();
  }

  /** Adds the field paths {@code expression} reads; false when it reads a variable ({@code $$ROOT}, ...). */
  private static boolean references(Object expression, Set<String> fields) {
    if (expression instanceof String) {
      String s = (String) expression;
      if (s.startsWith("$$")) {
        return false;
      }
      if (s.startsWith("$")) {
        fields.add(s.substring(1));
      }
      return true;
    }
    if (expression instanceof Map) {
      for (Object v : ((Map<?, ?>) expression).values()) {
        if (!references(v, fields)) {
          return false;
        }
      }
    } else if (expression instanceof List) {
      for (Object v : (List<?>) expression) {
        if (!references(v, fields)) {
          return false;
        }
      }
    }
    return true;
  }

  /** An inclusion of every path not under another one; {@code _id} only when it or a path under it is read. */
  private static Document projection(Set<String> fields) {
    Document projection = new Document();
    for (String f : fields) {
      // a path under another one ("metrics.loss" under "metrics") goes: MongoDB refuses both at once
      if (fields.stream().noneMatch(other -> f.startsWith(other + "."))) {
        projection.put(f, 1);
      }
    }
    // excluded unless read, whole or in part ("_id.b" of a series rollup's compound _id)
    if (projection.keySet().stream().noneMatch(f -> f.equals("_id") || f.startsWith("_id."))) {
      projection.put("_id", 0);
    }
    return projection;
  }
}
