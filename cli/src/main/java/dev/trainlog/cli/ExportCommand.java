package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.report.ImageExport;
import dev.trainlog.query.RunImages;
import dev.trainlog.query.TrainlogStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
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

/** {@code trainlog export}: every stored point of a run or an experiment as CSV or JSON lines. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Export the stored points of a run or of every run of an experiment as CSV or JSON lines.")
final class ExportCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "RUN|EXPERIMENT", description = "A run or an experiment name.")
  String target;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv or jsonl (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--metric", paramLabel = "NAME", split = ",",
      description = "Only these metrics, comma separated (default: every scalar and vector metric); a record with none"
          + " of them has no row. An image or artifact named here is written as its GridFS file id(s).")
  List<String> metrics;

  @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of to standard output.")
  Path out;

  @Option(names = "--images", paramLabel = "DIR",
      description = "Also write the runs' images, bytes as logged, to DIR/<run>/<key with / as ~>/step-000500-0.png"
          + " (the points still go to --out or standard output).")
  Path images;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("csv") && !format.equals("jsonl")) {
      throw CliException.usage("--format was '" + format + "' but it must be csv or jsonl");
    }
    try (Store store = Store.open(storeOptions.spec())) {
      List<RunView> runs = RunCatalog.loadAll(store).runsOrExperiment(target);
      LinkedHashSet<String> names = new LinkedHashSet<>();
      if (metrics != null) {
        names.addAll(metrics);
      } else {
        runs.forEach(r -> r.summary().forEach(m -> names.add(m.name())));
        MetricNames.of(store, runs).forEach((name, kind) -> {
          if (kind.equals("vector")) {
            names.add(name); // a vector is a column too: CSV writes it as [a, b, ...], JSON lines as an array
          }
        });
      }
      long rows;
      if (out == null) {
        rows = write(store, runs, new ArrayList<>(names), root.out);
      } else {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
          PrintWriter pw = new PrintWriter(w);
          rows = write(store, runs, new ArrayList<>(names), pw);
          pw.flush();
        }
        root.err.println("wrote " + rows + " row(s) of " + runs.size() + " run(s) to " + out);
      }
      if (images != null) {
        long n = ImageExport.write(RunImages.on(store.database(), store.spec().collection()),
            runs.stream().map(RunView::runId).toList(), images);
        root.err.println("wrote " + n + " image(s) of " + runs.size() + " run(s) to " + images);
      }
      if (rows == 0) {
        root.err.println("no points stored for " + target);
        return ExitCodes.NOTHING_MATCHED;
      }
      return ExitCodes.OK;
    }
  }

  private long write(Store store, List<RunView> runs, List<String> names, PrintWriter w) {
    boolean csv = format.equals("csv");
    if (csv) {
      StringBuilder header = new StringBuilder("experiment,run,name,rank,step,timestamp");
      names.forEach(n -> header.append(',').append(Csv.field(n)));
      w.println(header);
    }
    long[] rows = {0};
    TrainlogStore query = store.query();
    for (RunView run : runs) {
      query.forEachStep(run.record(), names, d -> {
        if (d.metrics().isEmpty()) {
          return; // an artifact record or a system reading holds none of the chosen metrics
        }
        String t = d.time() == null ? null : d.time().toString();
        if (csv) {
          StringBuilder line = new StringBuilder();
          line.append(Csv.field(run.experiment())).append(',').append(Csv.field(run.runId())).append(',')
              .append(Csv.field(run.name())).append(',').append(d.rank()).append(',').append(d.step())
              .append(',').append(t == null ? "" : t);
          for (String n : names) {
            Object v = d.metrics().get(n);
            line.append(',').append(Csv.field(cell(v)));
          }
          w.println(line);
        } else {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("experiment", run.experiment());
          row.put("run", run.runId());
          row.put("name", run.name());
          row.put("rank", d.rank());
          row.put("step", d.step());
          row.put("timestamp", t);
          row.put("metrics", d.metrics());
          w.println(Json.write(row, false));
        }
        rows[0]++;
      });
    }
    w.flush();
    return rows[0];
  }

  /** A CSV cell: an image as its GridFS file ids (space separated), an artifact as its id, a nested metric as JSON. */
  private static String cell(Object v) {
    return switch (v == null ? "none" : MetricNames.kind(v)) {
      case "none" -> null;
      case "image" -> String.join(" ", ((List<?>) v).stream().map(MetricNames::fileId).toList());
      case "artifact" -> MetricNames.fileId(v);
      case "map" -> Json.write(v, false);
      default -> v.toString();
    };
  }
}
