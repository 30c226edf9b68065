package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a find can be answered from {@link CoverRecord}s: its filter, sort and projection read only covered
 * fields (paths under them included), and the projection includes fields (so the answer is never a whole
 * document). The server still matches, sorts and projects; it only reads the record instead of the document.
 */
final class CoveredQuery {

  private static final Set<String> LOGICAL = Set.of("$and", "$or", "$nor");

  private CoveredQuery() {}

  static boolean answers(Document query, Document orderBy, Document projection) {
    if (projection == null || projection.isEmpty() || !readsOnlyCovered(query)) {
      return false;
    }
    if (orderBy != null && !orderBy.isEmpty() && !readsOnlyCovered(orderBy)) {
      return false;
    }
    boolean includes = false;
    for (Map.Entry<String, Object> e : projection.entrySet()) {
      if (!covered(e.getKey())) {
        return false;
      }
      if (!e.getKey().equals("_id")) {
        if (!isTrue(e.getValue())) {
          // an exclusion, $slice or $elemMatch: keep to the plain case
          return false;
        }
        includes = true;
      }
    }
    return includes;
  }

  private static boolean readsOnlyCovered(Document d) {
    for (Map.Entry<String, Object> e : d.entrySet()) {
      // $and, $or and $nor read what their clauses read (reached-within's bucket read is an $or of step
      // ranges); other top-level operators ($expr, $where, $natural...) may read anything
      if (LOGICAL.contains(e.getKey()) && e.getValue() instanceof List<?> clauses && !clauses.isEmpty()) {
        for (Object clause : clauses) {
          if (!(clause instanceof Document c) || !readsOnlyCovered(c)) {
            return false;
          }
        }
      } else if (!covered(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  private static boolean covered(String path) {
    int dot = path.indexOf('.');
    String top = dot < 0 ? path : path.substring(0, dot);
    return top.equals("_id") || CoverRecord.FIELDS.contains(top);
  }

  static boolean isTrue(Object v) {
    return Boolean.TRUE.equals(v) || v instanceof Number && ((Number) v).doubleValue() == 1.0;
  }
}
