package dev.trainlog.cli.report;

import java.util.Map;
import java.util.Objects;

/**
 * The report's two HTML tables: per run and metric the final and best value (only for accuracy-like and loss-like
 * metrics, {@link ReportData#hasBest}), and the config keys that differ.
 */
final class SummaryTables {

  private SummaryTables() {}

  static String summary(ReportInput input) {
    StringBuilder sb = new StringBuilder("<table id=\"summary\"><tr><th>metric</th><th>experiment</th><th>run</th>"
        + "<th>name</th><th>points</th><th>final step</th><th>final value</th><th>best value</th><th>best step</th>"
        + "<th>non-finite</th></tr>");
    for (String metric : input.metrics()) {
      boolean higher = ReportData.higherIsBetter(metric);
      boolean hasBest = ReportData.hasBest(metric);
      for (Curve c : input.curves()) {
        if (!c.metric().equals(metric) || c.values().length == 0) {
          continue;
        }
        int last = c.values().length - 1;
        int best = hasBest ? c.best(higher) : -1;
        sb.append("<tr><td>").append(HtmlReport.escape(metric)).append(!hasBest ? "" : higher ? " (max)" : " (min)")
            .append("</td><td>").append(HtmlReport.escape(c.experiment()))
            .append("</td><td>").append(HtmlReport.escape(c.run()))
            .append("</td><td>").append(HtmlReport.escape(c.name()))
            .append("</td><td class=\"num\">").append(c.values().length)
            .append("</td><td class=\"num\">").append(c.steps()[last])
            .append("</td><td class=\"num\">").append(HtmlReport.number(c.values()[last]))
            .append("</td><td class=\"num\">").append(best < 0 ? "-" : HtmlReport.number(c.values()[best]))
            .append("</td><td class=\"num\">").append(best < 0 ? "-" : Long.toString(c.steps()[best]))
            .append("</td><td class=\"num\">").append(c.nonFinite())
            .append("</td></tr>");
      }
    }
    return sb.append("</table>").toString();
  }

  static String configDiff(ReportInput input) {
    Map<String, Map<String, Object>> diff = ReportData.configDiff(input.configs());
    if (diff.isEmpty()) {
      return "<p id=\"config-diff\">Every run has the same config.</p>";
    }
    StringBuilder sb = new StringBuilder("<table id=\"config-diff\"><tr><th>key</th>");
    input.configs().keySet().forEach(run -> sb.append("<th>").append(HtmlReport.escape(run)).append("</th>"));
    sb.append("</tr>");
    diff.forEach((key, perRun) -> {
      sb.append("<tr><td>").append(HtmlReport.escape(key)).append("</td>");
      perRun.values().forEach(v -> sb.append("<td>").append(v == null ? "<i>absent</i>"
          : HtmlReport.escape(Objects.toString(v))).append("</td>"));
      sb.append("</tr>");
    });
    return sb.append("</table>").toString();
  }
}
