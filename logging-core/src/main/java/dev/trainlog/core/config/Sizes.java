package dev.trainlog.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in bytes as YAML writes them: {@code 4096}, {@code 512KB}, {@code 64MiB}, {@code 2GiB}. */
final class Sizes {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?");

  private Sizes() {}

  /** The size in bytes, or -1 when {@code text} is not one. */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    if (unit.equals("b")) {
      return n;
    }
    boolean binary = unit.contains("i");
    long base = binary ? 1024 : 1000;
    int power = "kmgt".indexOf(unit.charAt(0)) + 1;
    long factor = 1;
    for (int i = 0; i < power; i++) {
      factor *= base;
    }
    return n > Long.MAX_VALUE / factor ? -1 : n * factor;
  }
}
