package dev.trainlog.cli;

import dev.trainlog.mongodb.AlertRule;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code watch --alert}: {@code loss > 2}, {@code loss < 0.01} or {@code nan(loss)} (NaN or infinite). */
record AlertExpression(String text, AlertRule rule) {

  private static final Pattern NAN = Pattern.compile("\\s*nan\\(\\s*([A-Za-z_][\\w./\\-]*)\\s*\\)\\s*");
  private static final Pattern COMPARE = Pattern.compile(
      "\\s*([A-Za-z_][\\w./\\-]*)\\s*([<>])\\s*(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

  /** Parses {@code text} for {@code run}, whose summary tells where each metric is stored. */
  static AlertExpression parse(String text, RunView run) {
    Matcher nan = NAN.matcher(text);
    if (nan.matches()) {
      return new AlertExpression(text.trim(), AlertRule.nonFinite(run.pathOf(nan.group(1))));
    }
    Matcher cmp = COMPARE.matcher(text);
    if (cmp.matches()) {
      String path = run.pathOf(cmp.group(1));
      double threshold = Double.parseDouble(cmp.group(3));
      return new AlertExpression(text.trim(), ">".equals(cmp.group(2)) ? AlertRule.greaterThan(path, threshold)
          : AlertRule.lessThan(path, threshold));
    }
    throw CliException.usage("--alert was '" + text + "' but it must read '<metric> > <number>', "
        + "'<metric> < <number>' or 'nan(<metric>)', e.g. 'loss > 2'");
  }
}
