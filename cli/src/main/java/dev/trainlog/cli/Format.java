package dev.trainlog.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How numbers and times read in tables: 4 significant digits, UTC minutes. */
final class Format {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private Format() {}

  static String number(Double v) {
    if (v == null) {
      return "-";
    }
    if (v.isNaN() || v.isInfinite()) {
      return v.toString();
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString(v.longValue());
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** A JSON-safe number: non-finite values become the strings "NaN", "Infinity", "-Infinity". */
  static Object json(Double v) {
    if (v == null) {
      return null;
    }
    return Double.isFinite(v) ? (Object) v : v.toString();
  }
}
