package dev.trainlog.query.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert rule in the words {@code trainlog watch --alert} takes: {@code loss > 2}, {@code loss < 0.01},
 * {@code nan(loss)} (NaN or infinite), or a share of another metric of the same step, {@code
 * system/gpu0/memory_used_mb > 0.95*system/gpu0/memory_total_mb}. Comparisons never fire on NaN.
 */
public record AlertCheck(String text, Kind kind, String metric, double threshold, String totalMetric) {

  /** What an alert compares. */
  public enum Kind { ABOVE, BELOW, NON_FINITE, ABOVE_SHARE }

  /** What a rule must read, for error messages. */
  public static final String GRAMMAR = "'<metric> > <number>', '<metric> < <number>', 'nan(<metric>)' or "
      + "'<metric> > <number>*<metric>', e.g. 'loss > 2'";

  private static final String NAME = "([A-Za-z_][\\w./\\-]*)";
  private static final String NUMBER = "(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)";
  private static final Pattern NAN = Pattern.compile("\\s*nan\\(\\s*" + NAME + "\\s*\\)\\s*");
  private static final Pattern COMPARE = Pattern.compile("\\s*" + NAME + "\\s*([<>])\\s*" + NUMBER + "\\s*");
  private static final Pattern SHARE = Pattern.compile("\\s*" + NAME + "\\s*>\\s*" + NUMBER + "\\s*\\*\\s*" + NAME + "\\s*");

  /** The rule {@code text} states; IllegalArgumentException naming {@link #GRAMMAR} when it states none. */
  public static AlertCheck parse(String text) {
    Matcher nan = NAN.matcher(text);
    if (nan.matches()) {
      return new AlertCheck(text.trim(), Kind.NON_FINITE, nan.group(1), Double.NaN, null);
    }
    Matcher share = SHARE.matcher(text);
    if (share.matches() && !share.group(2).startsWith("-")) {
      return new AlertCheck(text.trim(), Kind.ABOVE_SHARE, share.group(1), Double.parseDouble(share.group(2)),
          share.group(3));
    }
    Matcher cmp = COMPARE.matcher(text);
    if (cmp.matches()) {
      return new AlertCheck(text.trim(), ">".equals(cmp.group(2)) ? Kind.ABOVE : Kind.BELOW, cmp.group(1),
          Double.parseDouble(cmp.group(3)), null);
    }
    throw new IllegalArgumentException("alert '" + text + "' must read " + GRAMMAR);
  }

  /** Whether the rule fires on {@code value} of {@link #metric} ({@code total}: the step's {@link #totalMetric}, or NaN). */
  public boolean fires(double value, double total) {
    return switch (kind) {
      case ABOVE -> value > threshold;
      case BELOW -> value < threshold;
      case NON_FINITE -> !Double.isFinite(value);
      case ABOVE_SHARE -> value > threshold * total;
    };
  }
}
