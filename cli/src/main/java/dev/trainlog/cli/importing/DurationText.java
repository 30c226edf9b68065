package dev.trainlog.cli.importing;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as users write them on a command line: {@code 500ms}, {@code 10s}, {@code 10m}, {@code 1h}. */
final class DurationText {

  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationText() {}

  static Duration parse(String text, String option) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " was '" + text + "' but it must be a number with ms, s, m or h"
          + " (e.g. 500ms, 10m)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      default:
        return Duration.ofHours(n);
    }
  }
}
