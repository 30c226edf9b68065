package dev.trainlog.mongodb;

import java.util.List;
import java.util.function.DoublePredicate;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A condition on a stored field of newly inserted step documents, e.g. {@code metrics.loss > 1.0}.
 * The server filters with {@link #filter()}; the watcher then checks each candidate again in Java
 * with {@link #matches}, because servers disagree on NaN (mongo-java-server lets NaN pass {@code
 * $gt}, MongoDB does not): a rule fires the same way on both.
 */
public final class AlertRule {

  private final String name;
  private final String field;
  private final Bson filter;
  private final DoublePredicate test;
  /** The field {@code field} is compared with a share of, or null for a rule on one field. */
  private final String totalField;
  private final double share;

  private AlertRule(String name, String field, Bson filter, DoublePredicate test) {
    this(name, field, filter, test, null, 0);
  }

  private AlertRule(String name, String field, Bson filter, DoublePredicate test, String totalField, double share) {
    this.name = name;
    this.field = field;
    this.filter = filter;
    this.test = test;
    this.totalField = totalField;
    this.share = share;
  }

  /**
   * Fires when {@code field} is above {@code share} times {@code totalField} in the same document, e.g.
   * {@code metrics.system/gpu0/memory_used_mb > 0.95 * metrics.system/gpu0/memory_total_mb}; never on NaN.
   */
  public static AlertRule greaterThanShareOf(String field, double share, String totalField) {
    Document expr = new Document("$expr", new Document("$gt", List.of("$" + changed(field),
        new Document("$multiply", List.of(share, "$" + changed(totalField))))));
    return new AlertRule(field + " > " + share + " * " + totalField, field, expr, v -> true, totalField, share);
  }

  /** Fires when {@code field} (a stored path such as {@code metrics.loss}) is a number above {@code threshold}; never on NaN. */
  public static AlertRule greaterThan(String field, double threshold) {
    return new AlertRule(field + " > " + threshold, field,
        new Document(changed(field), new Document("$gt", threshold)), v -> v > threshold);
  }

  /** Fires when {@code field} is a number below {@code threshold}; never on NaN. */
  public static AlertRule lessThan(String field, double threshold) {
    return new AlertRule(field + " < " + threshold, field,
        new Document(changed(field), new Document("$lt", threshold)), v -> v < threshold);
  }

  /** Fires when {@code field} is NaN, +Infinity or -Infinity: a diverged run. */
  public static AlertRule nonFinite(String field) {
    return new AlertRule(field + " is not finite", field,
        new Document(changed(field), new Document("$in",
            List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))),
        v -> !Double.isFinite(v));
  }

  private static String changed(String field) {
    return "fullDocument." + field;
  }

  /** A readable description, e.g. {@code metrics.loss > 1.0}. */
  public String name() {
    return name;
  }

  /** The stored path the rule looks at. */
  public String field() {
    return field;
  }

  /** The change-stream filter selecting candidate events. */
  Bson filter() {
    return filter;
  }

  /** Whether a stored step document meets the rule. */
  public boolean matches(Document document) {
    Object value = valueAt(document, field);
    if (totalField != null) {
      Object total = valueAt(document, totalField);
      return value instanceof Number && total instanceof Number
          && ((Number) value).doubleValue() > share * ((Number) total).doubleValue();
    }
    return value instanceof Number && test.test(((Number) value).doubleValue());
  }

  private static Object valueAt(Document document, String path) {
    Object value = document;
    for (String part : path.split("\\.")) {
      if (!(value instanceof Document)) {
        return null;
      }
      value = ((Document) value).get(part);
    }
    return value;
  }

  @Override
  public String toString() {
    return "AlertRule{" + name + "}";
  }
}
