package dev.trainlog.cli.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short durations as people type them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 2d}, {@code 1w}. */
public final class Durations {

  private static final Pattern SHAPE = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  private Durations() {}

  public static Duration parse(String text, String option) {
    Matcher m = SHAPE.matcher(text.trim());
    if (!m.matches()) {
      throw CliException.usage(option + " was '" + text + "' but it must be a number and a unit: ms, s, m, h, d or w"
          + " (e.g. 2d)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      case "h": return Duration.ofHours(n);
      case "d": return Duration.ofDays(n);
      default: return Duration.ofDays(7 * n);
    }
  }

  /** A duration as {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
  public static String format(Duration d) {
    if (d.toMillis() > 0 && d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    long s = Math.max(0, d.getSeconds());
    if (s >= 86_400) {
      return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
    if (s >= 3600) {
      return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }
    if (s >= 60) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }
}
