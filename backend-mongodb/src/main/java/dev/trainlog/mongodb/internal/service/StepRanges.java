package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps a document of one run can have and still match a filter: a superset, as inclusive ranges, taken from
 * its integer bounds on {@value #FIELD} (plain, {@code $gte}, {@code $gt}, {@code $lte}, {@code $lt}, {@code $eq}),
 * {@code $and}, {@code $or}, and clauses on {@code run} that exclude the run. Anything else is read as no bound, so
 * a document that matches always lies inside (reached-within's bucket read: an {@code $or} of step ranges per run).
 */
final class StepRanges {

  /** The field: {@value}. */
  static final String FIELD = "step";

  private StepRanges() {}

  /** The ranges ({@code {from, to}}) of {@code run} in {@code filter}, merged and in order; empty when unbounded. */
  static Optional<List<long[]>> of(Document filter, String run) {
    List<long[]> ranges = clause(filter, run);
    return ranges == null ? Optional.empty() : Optional.of(ranges);
  }

  /** Null: no bound. */
  private static List<long[]> clause(Document clause, String run) {
    List<long[]> out = null;
    for (Map.Entry<String, Object> e : clause.entrySet()) {
      List<long[]> part = switch (e.getKey()) {
        case FIELD -> bound(e.getValue());
        case RunFieldIndex.FIELD -> excludes(e.getValue(), run) ? List.of() : null;
        case "$and" -> all(e.getValue(), run);
        case "$or" -> any(e.getValue(), run);
        default -> null;
      };
      out = intersect(out, part);
    }
    return out;
  }

  private static boolean excludes(Object value, String run) {
    if (value instanceof String s) {
      return !s.equals(run);
    }
    if (value instanceof Document d && d.size() == 1 && d.get("$in") instanceof Collection<?> in) {
      // only a list of plain strings can be said not to hold the run (a pattern may match it)
      return in.stream().allMatch(String.class::isInstance) && !in.contains(run);
    }
    return false;
  }

  private static List<long[]> all(Object clauses, String run) {
    if (!(clauses instanceof List<?> list)) {
      return null;
    }
    List<long[]> out = null;
    for (Object c : list) {
      out = intersect(out, c instanceof Document d ? clause(d, run) : null);
    }
    return out;
  }

  private static List<long[]> any(Object clauses, String run) {
    if (!(clauses instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    List<long[]> out = new ArrayList<>();
    for (Object c : list) {
      List<long[]> part = c instanceof Document d ? clause(d, run) : null;
      if (part == null) {
        return null;
      }
      out.addAll(part);
    }
    return merged(out);
  }

  /** The range of a condition on the step, or null when it is not integer bounds only. */
  private static List<long[]> bound(Object condition) {
    if (exact(condition)) {
      long v = ((Number) condition).longValue();
      return List.of(new long[] {v, v});
    }
    if (!(condition instanceof Document d) || d.isEmpty()) {
      return null;
    }
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    for (Map.Entry<String, Object> e : d.entrySet()) {
      if (!exact(e.getValue())) {
        return null;
      }
      long v = ((Number) e.getValue()).longValue();
      switch (e.getKey()) {
        case "$gte" -> from = Math.max(from, v);
        case "$gt" -> from = v == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(from, v + 1);
        case "$lte" -> to = Math.min(to, v);
        case "$lt" -> to = v == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(to, v - 1);
        case "$eq" -> {
          from = Math.max(from, v);
          to = Math.min(to, v);
        }
        default -> {
          return null;
        }
      }
    }
    return from > to ? List.of() : List.of(new long[] {from, to});
  }

  private static boolean exact(Object v) {
    return v instanceof Long || v instanceof Integer;
  }

  private static List<long[]> intersect(List<long[]> a, List<long[]> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    List<long[]> out = new ArrayList<>();
    for (long[] x : a) {
      for (long[] y : b) {
        long from = Math.max(x[0], y[0]);
        long to = Math.min(x[1], y[1]);
        if (from <= to) {
          out.add(new long[] {from, to});
        }
      }
    }
    return merged(out);
  }

  private static List<long[]> merged(List<long[]> ranges) {
    List<long[]> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(r -> r[0]));
    List<long[]> out = new ArrayList<>();
    for (long[] r : sorted) {
      long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && (last[1] == Long.MAX_VALUE || r[0] <= last[1] + 1)) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        out.add(new long[] {r[0], r[1]});
      }
    }
    return out;
  }
}
