package dev.trainlog.cli.report;

import dev.trainlog.query.Downsampler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a compare report as ONE self-contained HTML file: the uPlot WebJar's script, style and
 * licence are read from the class path and inlined, the data is embedded as JSON in {@code <script
 * type="application/json" id="trainlog-report">}, and the tables are plain HTML. Nothing is fetched
 * when the page opens.
 */
public final class HtmlReport {

  /** The uPlot version the page inlines: the WebJar on the class path. */
  public static final String UPLOT_VERSION = "1.6.30";

  private static final String WEBJAR = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HtmlReport() {}

  /** The whole page, without sample images. */
  public static String render(ReportInput input) {
    return render(input, ReportImages.NONE);
  }

  /** The whole page, with {@code images} side by side per step under the charts. */
  public static String render(ReportInput input, ReportImages images) {
    String json = json(ReportData.of(input));
    String page = resource(HtmlReport.class, "report.html");
    return fill(page, Map.of(
        "TITLE", escape(input.title()),
        "SUBTITLE", escape(subtitle(input)),
        "UPLOT_CSS", resource(HtmlReport.class, WEBJAR + "dist/uPlot.min.css"),
        "REPORT_CSS", resource(HtmlReport.class, "report.css"),
        "MISSING", missing(input.missing()),
        "SUMMARY", SummaryTables.summary(input),
        "CONFIG_DIFF", SummaryTables.configDiff(input),
        "UPLOT_VERSION", UPLOT_VERSION,
        "UPLOT_LICENSE", escape(resource(HtmlReport.class, WEBJAR + "LICENSE")),
        "DATA", json),
        Map.of("UPLOT_JS", resource(HtmlReport.class, WEBJAR + "dist/uPlot.iife.min.js"),
            "REPORT_JS", resource(HtmlReport.class, "report.js"),
            "IMAGES_DATA", json(images.data()),
            "IMAGES_JS", resource(HtmlReport.class, "/dev/trainlog/cli/ui/images.js")));
  }

  private static String json(Object data) {
    try {
      // '<' only appears inside JSON strings, where \u003c means the same; it keeps "</script>" out of the page
      return MAPPER.writeValueAsString(data).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report data: " + e.getMessage(), e);
    }
  }

  private static String subtitle(ReportInput input) {
    long runs = input.curves().stream().map(Curve::run).distinct().count();
    return runs + " run(s), metric(s) " + String.join(", ", input.metrics()) + "; x axis: " + input.x()
        + "; each curve downsampled to at most " + Downsampler.MAX_POINTS + " points (largest triangle three buckets), "
        + "every NaN and infinity kept";
  }

  private static String missing(List<String> missing) {
    if (missing.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("<p class=\"missing\">Not drawn, no points: ");
    for (int i = 0; i < missing.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(escape(missing.get(i)));
    }
    return sb.append("</p>").toString();
  }

  /** Replaces {@code {{KEY}}} markers in one pass, so inlined text is never scanned for markers again. */
  private static String fill(String template, Map<String, String> values, Map<String, String> moreValues) {
    StringBuilder out = new StringBuilder(template.length() + 300_000);
    int i = 0;
    while (true) {
      int open = template.indexOf("{{", i);
      if (open < 0) {
        out.append(template, i, template.length());
        return out.toString();
      }
      int close = template.indexOf("}}", open);
      String key = template.substring(open + 2, close);
      String value = values.containsKey(key) ? values.get(key) : moreValues.get(key);
      if (value == null) {
        throw new IllegalStateException("report template has an unknown marker " + key);
      }
      out.append(template, i, open).append(value);
      i = close + 2;
    }
  }

  static String resource(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " (is org.webjars.npm:uplot:" + UPLOT_VERSION
            + " on the class path?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Text made safe for HTML element content and attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<': sb.append("&lt;"); break;
        case '>': sb.append("&gt;"); break;
        case '&': sb.append("&amp;"); break;
        case '"': sb.append("&quot;"); break;
        case '\'': sb.append("&#39;"); break;
        default: sb.append(c);
      }
    }
    return sb.toString();
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
