package dev.trainlog.core.internal.config;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration spellings TrainLog accepts in YAML: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h},
 * {@code 1d}, ISO {@code PT2S}, or a whole number of milliseconds. Every setting that takes a duration reads it
 * through {@link #fromYaml}, so the accepted forms are the same everywhere.
 */
public final class Durations {

  /** A number with an optional unit; without one it counts milliseconds. */
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private static final String FORMS = "a duration such as 500ms, 2s, 5m or 1h";

  /** The one requirement every positive duration setting states: "must be {@value}". */
  public static final String POSITIVE = "a positive duration such as 500ms, 2s or 5m";

  private Durations() {}

  /** The positive duration {@code value} stands for (see {@link #fromYaml}), or {@code null} when it is none. */
  public static Duration positive(Object value) {
    try {
      Duration d = fromYaml(value);
      return d.isZero() || d.isNegative() ? null : d;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The duration a YAML value stands for: a whole number of milliseconds, written as a YAML integer or as
   * digits (which is how a {@code ${VAR}} arrives), or a duration string as in {@link #parse}.
   *
   * @throws IllegalArgumentException naming the accepted forms when {@code value} is none of them
   */
  public static Duration fromYaml(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      long ms = ((Number) value).longValue();
      if (ms >= 0) {
        return Duration.ofMillis(ms);
      }
    } else if (value instanceof BigInteger) {
      BigInteger ms = (BigInteger) value;
      if (ms.signum() >= 0 && ms.bitLength() < 64) {
        return Duration.ofMillis(ms.longValue());
      }
    } else if (value instanceof String) {
      return parse((String) value);
    }
    throw new IllegalArgumentException(FORMS);
  }

  /**
   * The duration {@code text} spells: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}, ISO
   * {@code PT2S}, or digits alone for milliseconds; case and surrounding blanks do not matter.
   *
   * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      Matcher m = SIMPLE.matcher(t);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        switch (unit) {
          case "ms":
            return Duration.ofMillis(n);
          case "s":
            return Duration.ofSeconds(n);
          case "m":
            return Duration.ofMinutes(n);
          case "h":
            return Duration.ofHours(n);
          default:
            return Duration.ofDays(n);
        }
      }
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      // too large for a long or a Duration, or not ISO: refused below with the accepted forms
    }
    throw new IllegalArgumentException(FORMS);
  }

  /** Renders a duration the way users write it, e.g. {@code 2s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
