package dev.trainlog.cli.ui;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The condition of the seed's question, {@code loss<0.05}: a metric name, {@code <} and a number. The
 * metric may contain '/' and '.'; only "strictly below" is asked for, as the seed does.
 */
public record ReachedExpression(String metric, double threshold) {

  private static final Pattern FORM = Pattern.compile("\\s*([^<>=\\s]+)\\s*<\\s*([-+0-9.eE]+)\\s*");
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

  /** The expression {@code text}, or an {@link IllegalArgumentException} whose message says what is wrong. */
  public static ReachedExpression parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("reached was '" + text + "' but it must read METRIC<NUMBER, e.g. loss<0.05");
    }
    double threshold;
    try {
      threshold = Double.parseDouble(m.group(2));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("reached was '" + text + "' but '" + m.group(2) + "' is not a number");
    }
    return new ReachedExpression(m.group(1), threshold);
  }

  /** A step limit: a non-negative integer, else an {@link IllegalArgumentException} naming {@code what}. */
  public static long within(String text, String what) {
    try {
      long v = Long.parseLong(text.trim());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through to the one message
    }
    throw new IllegalArgumentException(what + " was '" + text + "' but it must be a non-negative number of steps");
  }

  /** An age such as {@code 90d}, {@code 12h}, {@code 30m} or {@code 45s}. */
  public static Duration age(String text, String what) {
    Matcher m = text == null ? null : DURATION.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(what + " was '" + text + "' but it must be a number and a unit: s, m, h or d "
          + "(e.g. 90d)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
