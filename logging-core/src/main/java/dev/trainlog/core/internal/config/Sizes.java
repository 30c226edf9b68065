package dev.trainlog.core.internal.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the size spellings TrainLog accepts in YAML: a whole number of bytes, or a number with a unit, decimal
 * ({@code KB}, {@code MB}, {@code GB}, {@code TB}) or binary ({@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}).
 */
public final class Sizes {

  /** The one requirement every size setting states: "must be {@value}". */
  public static final String POSITIVE = "a positive size such as 512KB, 64MiB or 2GiB";

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b|b)?");

  private static final Map<String, Long> UNITS = Map.of(
      "b", 1L,
      "kb", 1000L, "mb", 1000L * 1000, "gb", 1000L * 1000 * 1000, "tb", 1000L * 1000 * 1000 * 1000,
      "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30, "tib", 1L << 40);

  private Sizes() {}

  /** The positive number of bytes {@code value} stands for, or -1 when it is none (or exceeds a long). */
  public static long positive(Object value) {
    String text;
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      text = value.toString();
    } else if (value instanceof String) {
      text = ((String) value).trim().toLowerCase(Locale.ROOT);
    } else {
      return -1;
    }
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return -1;
    }
    long unit = UNITS.get(m.group(2) == null ? "b" : m.group(2));
    try {
      long bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).toBigIntegerExact().longValueExact();
      return bytes > 0 ? bytes : -1;
    } catch (ArithmeticException fractionalOrTooLarge) {
      return -1;
    }
  }
}
