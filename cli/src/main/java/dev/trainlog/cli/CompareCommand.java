package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.cli.report.Curve;
import dev.trainlog.cli.report.HtmlReport;
import dev.trainlog.cli.report.ReportImages;
import dev.trainlog.cli.report.ReportInput;
import dev.trainlog.query.RunImages;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog compare}: one self-contained HTML page with every run's curves overlaid, per metric. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compare runs: writes ONE self-contained HTML file (no network needed) with one chart per metric, "
        + "every run overlaid (zoom, hover, log scale, smoothing), the config keys that differ and a summary table.",
        "A TARGET is an experiment (all its runs) or a run."})
final class CompareCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "TARGET", arity = "1..*", description = "Experiment names or run ids.")
  List<String> targets;

  @Option(names = "--metric", paramLabel = "NAME", split = ",", defaultValue = "loss",
      description = "Metrics to chart, comma separated (default: ${DEFAULT-VALUE}).")
  List<String> metrics;

  @Option(names = "--smooth", paramLabel = "WEIGHT", defaultValue = "0",
      description = "Initial smoothing, 0 to 0.99 (an exponential moving average; the page has a slider).")
  double smooth;

  @Option(names = "--x", paramLabel = "AXIS", defaultValue = "step", description = "x axis: step or time.")
  String x;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The HTML file to write.")
  Path out;

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write every point (full resolution) as CSV.")
  Path csv;

  @Override
  public Integer call() {
    if (!x.equals("step") && !x.equals("time")) {
      throw CliException.usage("--x was '" + x + "' but it must be step or time");
    }
    if (smooth < 0 || smooth >= 1) {
      throw CliException.usage("--smooth was '" + smooth + "' but it must be at least 0 and below 1");
    }
    try (Store store = Store.open(storeOptions.spec())) {
      RunCatalog catalog = RunCatalog.loadAll(store);
      LinkedHashSet<RunView> runs = new LinkedHashSet<>();
      for (String target : targets) {
        runs.addAll(catalog.runsOrExperiment(target));
      }
      List<Series> all = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
      for (RunView run : runs) {
        configs.put(run.runId(), ShowCommand.flatten("", run.config()));
        for (MetricSeries read : store.query().series(run.record(), metrics).values()) {
          Series s = new Series(run, read.metric(), read.steps(), read.times(), read.values());
          if (s.size() == 0) {
            missing.add(run.runId() + ": " + s.metric());
          } else {
            all.add(s);
          }
        }
      }
      missing.forEach(m -> root.err.println("missing (no points): " + m));
      List<String> pointless = metrics.stream().filter(m -> all.stream().noneMatch(s -> s.metric().equals(m))).toList();
      if (!pointless.isEmpty()) {
        Map<String, String> kinds = MetricNames.of(store, new ArrayList<>(runs));
        pointless.forEach(m -> root.err.println(MetricNames.hint(m, kinds)));
      }
      Map<String, String> labels = new LinkedHashMap<>();
      runs.forEach(r -> labels.put(r.runId(), r.name() == null ? r.runId() : r.name()));
      ReportImages images = ReportImages.read(RunImages.on(store.database(), store.spec().collection()), labels);
      if (all.isEmpty() && images.isEmpty()) {
        throw CliException.nothing("no points of " + String.join(", ", metrics) + " and no images in " + runs.size()
            + " run(s); nothing to draw");
      }
      List<Curve> curves = all.stream().map(s -> new Curve(s.run().experiment(), s.run().runId(), s.run().name(),
          s.metric(), s.steps(), s.times(), s.values())).toList();
      List<String> drawn = metrics.stream().filter(m -> curves.stream().anyMatch(c -> c.metric().equals(m))).toList();
      String title = "TrainLog compare: " + String.join(" vs ", targets);
      write(out, HtmlReport.render(new ReportInput(title, drawn, curves, configs, missing, x, smooth), images));
      if (csv != null) {
        writeCsv(csv, all);
      }
      root.out.println("wrote " + out + " (" + all.size() + " curve(s)" + (images.isEmpty() ? "" : ", "
          + images.size() + " image(s)") + " of " + runs.size() + " run(s)"
          + (missing.isEmpty() ? "" : ", " + missing.size() + " missing") + ")" + (csv == null ? "" : " and " + csv));
      return ExitCodes.OK;
    }
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static void writeCsv(Path file, List<Series> all) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("experiment,run,name,metric,step,time_ms,value\n");
      for (Series s : all) {
        String prefix = Csv.field(s.run().experiment()) + "," + Csv.field(s.run().runId()) + ","
            + Csv.field(s.run().name()) + "," + Csv.field(s.metric()) + ",";
        for (int i = 0; i < s.size(); i++) {
          w.write(prefix + s.steps()[i] + "," + s.times()[i] + "," + s.values()[i] + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
