package dev.trainlog.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JMH JSON results (B1, B4) and the harness results (B2, B3, B4 against Python, B5 to B8) of one
 * run and prints one markdown table: each figure with its median, min–max spread, its baseline from
 * the same run, the ratio and the target. Also writes it, with the machine it ran on, to the given file.
 *
 * <p>Arguments: results directory, output markdown file, suite seconds, load average at start.
 */
public final class ResultsTable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PKG = "dev.trainlog.benchmarks.";

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String seconds = args.length > 2 ? args[2] : "?";
    String loadAtStart = args.length > 3 ? args[3] : "?";
    List<Row> rows = new ArrayList<>();
    rows.addAll(b1(dir.resolve("b1.json")));
    rows.addAll(harness(dir.resolve("b2.json")));
    rows.addAll(harness(dir.resolve("b3.json")));
    rows.addAll(harness(dir.resolve("b4-python.json")));
    rows.addAll(b4(dir.resolve("b4.json")));
    rows.addAll(harness(dir.resolve("b5.json")));
    rows.addAll(harness(dir.resolve("b6.json")));
    rows.addAll(harness(dir.resolve("b7.json")));
    rows.addAll(harness(dir.resolve("b8.json")));
    rows.addAll(harness(dir.resolve("b9.json")));
    rows.addAll(harness(dir.resolve("b10.json")));
    rows.addAll(harness(dir.resolve("b10-pages.json")));
    String table = table(rows);
    System.out.println(table);
    String machine = machine(seconds, loadAtStart, dir.resolve("java-version.txt"));
    Files.writeString(out, "# TrainLog benchmark results\n\n" + machine + "\n" + table + "\n" + Methodology.TEXT);
    System.out.println("Written to " + out);
  }

  private static List<Row> harness(Path file) throws IOException {
    return Files.exists(file) ? Row.read(file) : List.of();
  }

  private static List<Row> b1(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonNode root = JSON.readTree(file.toFile());
    JsonNode tl = find(root, PKG + "B1LogCallBenchmark.trainlog");
    JsonNode base = find(root, PKG + "B1LogCallBenchmark.baseline");
    JsonNode consumed = find(root, PKG + "B1LogCallBenchmark.baselineWithConsumer");
    String baseline = "record + ArrayBlockingQueue.offer, no consumer (cleared when full)";
    String withConsumer = "record + ArrayBlockingQueue.offer, drained by a consumer thread";
    Path log = file.resolveSibling("b1.log");
    String stats = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith("B1 dispatcher stats"))
        .findFirst().map(ResultsTable::spills).orElse("") : "";
    return List.of(
        Row.of("B1", "caller time of one log(), 6 metrics, 3 backends every 1/10/100 (ns/op)", "TrainLog",
            raw(tl.path("primaryMetric")), baseline, raw(base.path("primaryMetric")),
            Row.Target.ratioAtMost(2.5, "≤ 2.5×"), "JMH average time, one fork; samples are the measurement"
                + " iterations; the target is issue 15's" + stats),
        Row.of("B1", "caller time of one log() (ns/op)", "TrainLog", raw(tl.path("primaryMetric")), withConsumer,
            raw(consumed.path("primaryMetric")), Row.Target.none(), ""),
        Row.of("B1", "allocated per log() (B/op, gc.alloc.rate.norm)", "TrainLog",
            raw(tl.path("secondaryMetrics").path("gc.alloc.rate.norm")), baseline,
            raw(base.path("secondaryMetrics").path("gc.alloc.rate.norm")), Row.Target.atMost(1024, "≤ 1 KB"), ""));
  }

  private static List<Row> b4(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonNode root = JSON.readTree(file.toFile());
    List<Row> rows = new ArrayList<>();
    for (int scalars : new int[] {1, 5}) {
      String shape = B4TensorBoardBenchmark.perRecord(scalars);
      rows.add(Row.of("B4", "TensorBoard backend write() alone (JMH), " + shape + ", batches of 512 (scalars/s)",
          "TrainLog TensorBoard backend", b4Scalars(root, "trainlog", scalars), "", new double[0], Row.Target.none(),
          scalars == 1 ? "the JMH rows build each batch just before its write call, outside the timed region, as"
              + " the dispatcher hands over records the training thread just created" : ""));
      rows.add(Row.of("B4", "TensorBoard backend write() alone (JMH), " + shape + ", 32,768 records built up front"
          + " (scalars/s)", "TrainLog TensorBoard backend", b4Scalars(root, "trainlogColdRecords", scalars), "",
          new double[0], Row.Target.none(), scalars == 1 ? "the records built up front are no longer in the CPU"
              + " caches when written" : ""));
    }
    return rows;
  }

  /** A B4 method's records per second at {@code scalars} per record, as scalars per second. */
  private static double[] b4Scalars(JsonNode root, String method, int scalars) {
    for (JsonNode n : root) {
      if (n.path("benchmark").asText().equals(PKG + "B4TensorBoardBenchmark." + method)
          && n.path("params").path("scalarsPerStep").asInt() == scalars) {
        double[] perRecord = raw(n.path("primaryMetric"));
        for (int i = 0; i < perRecord.length; i++) {
          perRecord[i] *= scalars;
        }
        return perRecord;
      }
    }
    throw new IllegalStateException("no JMH result for B4 " + method + " with " + scalars + " scalars per record");
  }

  /** How far behind B1's readers were at the end (they read the journal at their own pace). */
  private static String spills(String statsLine) {
    Matcher m = Pattern.compile("(\\w+)=\\w+: accepted=(\\d+) .*?dropped=(\\d+)").matcher(statsLine);
    List<String> parts = new ArrayList<>();
    while (m.find()) {
      if (Long.parseLong(m.group(3)) > 0) {
        parts.add(m.group(1) + " dropped " + String.format(Locale.ROOT, "%,d", Long.parseLong(m.group(3))) + " of "
            + String.format(Locale.ROOT, "%,d", Long.parseLong(m.group(2))));
      }
    }
    return parts.isEmpty() ? "" : "; readers over the whole JMH run: " + String.join(", ", parts)
        + " (a reader drops the oldest segments when it lags past journal.max-size)";
  }

  private static JsonNode find(JsonNode root, String benchmark) {
    for (JsonNode n : root) {
      if (n.path("benchmark").asText().equals(benchmark)) {
        return n;
      }
    }
    throw new IllegalStateException("no JMH result for " + benchmark);
  }

  /** Every measurement iteration of every fork. */
  private static double[] raw(JsonNode metric) {
    List<Double> values = new ArrayList<>();
    for (JsonNode fork : metric.path("rawData")) {
      for (JsonNode v : fork) {
        values.add(v.asDouble());
      }
    }
    return Harness.toArray(values);
  }

  static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| | metric | measured | median (min–max) | baseline | median (min–max) | ratio | target | met? |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    Set<String> notes = new LinkedHashSet<>();
    for (Row r : rows) {
      Boolean met = r.met();
      sb.append("| ").append(r.benchmark())
          .append(" | ").append(r.metric())
          .append(" | ").append(r.subject())
          .append(" | ").append(spread(r.samples()))
          .append(" | ").append(r.baseline().isEmpty() ? "—" : r.baseline())
          .append(" | ").append(r.baselineSamples().length == 0 ? "—" : spread(r.baselineSamples()))
          .append(" | ").append(r.baselineSamples().length == 0 ? "—" : String.format(Locale.ROOT, "%.3f×", r.ratio()))
          .append(" | ").append(r.target().text())
          .append(" | ").append(met == null ? "—" : met ? "yes" : "**no**")
          .append(" |\n");
      if (!r.note().isEmpty()) {
        notes.add(r.benchmark() + ": " + r.note());
      }
    }
    sb.append('\n');
    for (String n : notes) {
      sb.append("- ").append(n).append('\n');
    }
    return sb.toString();
  }

  static String spread(double[] samples) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : samples) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return format(Row.median(samples)) + " (" + format(min) + "–" + format(max) + ")";
  }

  static String format(double v) {
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String machine(String seconds, String loadAtStart, Path javaVersion) throws IOException {
    String cpu = "?";
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.exists(cpuinfo)) {
      cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }
    String java = Files.exists(javaVersion) ? Files.readString(javaVersion).trim() : System.getProperty("java.vm.name")
        + " " + System.getProperty("java.runtime.version");
    return "- date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
        + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpu + ", "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + "\n"
        + "- load average when the suite started: " + loadAtStart + "\n"
        + "- java -version:\n\n```\n" + java + "\n```\n\n"
        + "- whole suite (build included): " + seconds + " s; reproduce with `bash benchmarks/run.sh`\n";
  }
}
