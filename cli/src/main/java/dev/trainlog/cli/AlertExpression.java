package dev.trainlog.cli;

import dev.trainlog.mongodb.AlertRule;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code watch --alert}: {@code loss > 2}, {@code loss < 0.01}, {@code nan(loss)} (NaN or infinite), or a
 * share of another metric of the same record, for system metrics: {@code system/gpu0/memory_used_mb >
 * 0.95*system/gpu0/memory_total_mb}.
 */
record AlertExpression(String text, AlertRule rule) {

  private static final Pattern NAN = Pattern.compile("\\s*nan\\(\\s*([A-Za-z_][\\w./\\-]*)\\s*\\)\\s*");
  private static final Pattern COMPARE = Pattern.compile(
      "\\s*([A-Za-z_][\\w./\\-]*)\\s*([<>])\\s*(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

  private static final Pattern SHARE = Pattern.compile("\\s*([A-Za-z_][\\w./\\-]*)\\s*>\\s*"
      + "((?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*\\*\\s*([A-Za-z_][\\w./\\-]*)\\s*");

  /** Parses {@code text} for {@code run}, whose summary tells where each metric is stored. */
  static AlertExpression parse(String text, RunView run) {
    Matcher nan = NAN.matcher(text);
    if (nan.matches()) {
      return new AlertExpression(text.trim(), AlertRule.nonFinite(run.pathOf(nan.group(1))));
    }
    Matcher share = SHARE.matcher(text);
    if (share.matches()) {
      return new AlertExpression(text.trim(), AlertRule.greaterThanShareOf(run.pathOf(share.group(1)),
          Double.parseDouble(share.group(2)), run.pathOf(share.group(3))));
    }
    Matcher cmp = COMPARE.matcher(text);
    if (cmp.matches()) {
      String path = run.pathOf(cmp.group(1));
      double threshold = Double.parseDouble(cmp.group(3));
      return new AlertExpression(text.trim(), ">".equals(cmp.group(2)) ? AlertRule.greaterThan(path, threshold)
          : AlertRule.lessThan(path, threshold));
    }
    throw CliException.usage("--alert was '" + text + "' but it must read '<metric> > <number>', "
        + "'<metric> < <number>', 'nan(<metric>)' or '<metric> > <number>*<metric>', e.g. 'loss > 2'");
  }
}
