package dev.trainlog.cli;

import dev.trainlog.mongodb.AlertRule;
import dev.trainlog.query.spec.AlertCheck;

/**
 * A {@code watch --alert}: {@code loss > 2}, {@code loss < 0.01}, {@code nan(loss)} (NaN or infinite), or a
 * share of another metric of the same record, for system metrics: {@code system/gpu0/memory_used_mb >
 * 0.95*system/gpu0/memory_total_mb}. The words are {@link AlertCheck}'s, which the web view's Run page reads too.
 */
record AlertExpression(String text, AlertRule rule) {

  /** Parses {@code text} for {@code run}, whose summary tells where each metric is stored. */
  static AlertExpression parse(String text, RunView run) {
    AlertCheck check;
    try {
      check = AlertCheck.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--alert was '" + text + "' but it must read " + AlertCheck.GRAMMAR);
    }
    String path = run.pathOf(check.metric());
    AlertRule rule = switch (check.kind()) {
      case NON_FINITE -> AlertRule.nonFinite(path);
      case ABOVE_SHARE -> AlertRule.greaterThanShareOf(path, check.threshold(), run.pathOf(check.totalMetric()));
      case ABOVE -> AlertRule.greaterThan(path, check.threshold());
      case BELOW -> AlertRule.lessThan(path, check.threshold());
    };
    return new AlertExpression(check.text(), rule);
  }
}
