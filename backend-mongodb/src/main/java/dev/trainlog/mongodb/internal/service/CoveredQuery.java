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

  /** Which records can stand for the documents in a read. */
  enum Cover {
    /** None: the read takes the documents. */
    NONE,
    /** Any record, a legacy one too: the read looks only at {@link CoverRecord#LEGACY_FIELDS}. */
    ANY,
    /** Only a current record: the read looks at fields a legacy record may have left out. */
    CURRENT
  }

  private static final Set<String> LOGICAL = Set.of("$and", "$or", "$nor");

  private CoveredQuery() {}

  /** Which records can answer a find of {@code query}, sorted by {@code orderBy}, projected by {@code projection}. */
  static Cover cover(Document query, Document orderBy, Document projection) {
    if (answers(query, orderBy, projection, CoverRecord.LEGACY_FIELDS)) {
      return Cover.ANY;
    }
    return answers(query, orderBy, projection, CoverRecord.FIELDS) ? Cover.CURRENT : Cover.NONE;
  }

  private static boolean answers(Document query, Document orderBy, Document projection, Set<String> fields) {
    if (projection == null || projection.isEmpty() || !readsOnly(query, fields)) {
      return false;
    }
    if (orderBy != null && !orderBy.isEmpty() && !readsOnly(orderBy, fields)) {
      return false;
    }
    boolean includes = false;
    for (Map.Entry<String, Object> e : projection.entrySet()) {
      if (!covered(e.getKey(), fields)) {
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

  private static boolean readsOnly(Document d, Set<String> fields) {
    for (Map.Entry<String, Object> e : d.entrySet()) {
      // $and, $or and $nor read what their clauses read (reached-within's bucket read is an $or of step
      // ranges); other top-level operators ($expr, $where, $natural...) may read anything
      if (LOGICAL.contains(e.getKey()) && e.getValue() instanceof List<?> clauses && !clauses.isEmpty()) {
        for (Object clause : clauses) {
          if (!(clause instanceof Document c) || !readsOnly(c, fields)) {
            return false;
          }
        }
      } else if (!covered(e.getKey(), fields)) {
        return false;
      }
    }
    return true;
  }

  private static boolean covered(String path, Set<String> fields) {
    int dot = path.indexOf('.');
    String top = dot < 0 ? path : path.substring(0, dot);
    return top.equals("_id") || fields.contains(top);
  }

  static boolean isTrue(Object v) {
    return Boolean.TRUE.equals(v) || v instanceof Number && ((Number) v).doubleValue() == 1.0;
  }
}
