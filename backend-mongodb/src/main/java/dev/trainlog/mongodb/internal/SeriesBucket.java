package dev.trainlog.mongodb.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.POINT_STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.POINT_TIME;
import static dev.trainlog.mongodb.schema.StoreSchema.POINT_VALUE;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_COUNT;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_FIRST;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_LAST;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MAX;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MAX_NON_FINITE;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MIN;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_NON_FINITE;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_NON_FINITE_COUNT;

import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * One bucket of one metric's series: its count, the first and last point, the finite minimum and
 * maximum and the non-finite points (up to {@value dev.trainlog.mongodb.schema.StoreSchema#SERIES_MAX_NON_FINITE}):
 * what a downsampled chart needs from these steps.
 */
final class SeriesBucket {

  /** One stored point. */
  record Point(long step, long time, double value) {

    Document toDocument() {
      return new Document(POINT_STEP, step).append(POINT_TIME, time).append(POINT_VALUE, value);
    }

    static Point from(Object o) {
      if (!(o instanceof Document d) || !(d.get(POINT_STEP) instanceof Number s)
          || !(d.get(POINT_VALUE) instanceof Number v)) {
        return null;
      }
      return new Point(s.longValue(), d.get(POINT_TIME) instanceof Number t ? t.longValue() : 0, v.doubleValue());
    }
  }

  private long count;
  private Point first;
  private Point last;
  private Point min;
  private Point max;
  private final List<Point> nonFinite = new ArrayList<>();
  private long nonFiniteCount;

  void add(Point p) {
    count++;
    if (first == null || p.step() < first.step()) {
      first = p;
    }
    if (last == null || p.step() >= last.step()) {
      last = p;
    }
    if (Double.isFinite(p.value())) {
      if (min == null || p.value() < min.value()) {
        min = p;
      }
      if (max == null || p.value() > max.value()) {
        max = p;
      }
    } else {
      nonFiniteCount++;
      if (nonFinite.size() < SERIES_MAX_NON_FINITE) {
        nonFinite.add(p);
      }
    }
  }

  long count() {
    return count;
  }

  /** The stored fields (without {@code _id} and the run fields, which the writer adds). */
  Document toDocument() {
    Document d = new Document(SERIES_COUNT, count);
    put(d, SERIES_FIRST, first);
    put(d, SERIES_LAST, last);
    put(d, SERIES_MIN, min);
    put(d, SERIES_MAX, max);
    d.append(SERIES_NON_FINITE, nonFinite.stream().map(Point::toDocument).toList());
    d.append(SERIES_NON_FINITE_COUNT, nonFiniteCount);
    return d;
  }

  private static void put(Document d, String field, Point p) {
    if (p != null) {
      d.append(field, p.toDocument());
    }
  }

  /** A bucket continuing from its stored form (written by an earlier process of the same run). */
  static SeriesBucket from(Document d) {
    SeriesBucket b = new SeriesBucket();
    b.count = d.get(SERIES_COUNT) instanceof Number n ? n.longValue() : 0;
    b.first = Point.from(d.get(SERIES_FIRST));
    b.last = Point.from(d.get(SERIES_LAST));
    b.min = Point.from(d.get(SERIES_MIN));
    b.max = Point.from(d.get(SERIES_MAX));
    if (d.get(SERIES_NON_FINITE) instanceof List<?> list) {
      list.stream().map(Point::from).filter(p -> p != null).forEach(b.nonFinite::add);
    }
    b.nonFiniteCount = d.get(SERIES_NON_FINITE_COUNT) instanceof Number n ? n.longValue() : b.nonFinite.size();
    return b;
  }
}
