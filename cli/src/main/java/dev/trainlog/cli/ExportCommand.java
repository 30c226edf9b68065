package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.RANK;
import static dev.trainlog.mongodb.StoreSchema.RUN;
import static dev.trainlog.mongodb.StoreSchema.STEP;
import static dev.trainlog.mongodb.StoreSchema.TIMESTAMP;

import dev.trainlog.mongodb.StoreSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bson.Document;
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
      description = "Only these metrics, comma separated (default: every scalar and vector metric).")
  List<String> metrics;

  @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of to standard output.")
  Path out;

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
      if (rows == 0) {
        root.err.println("no points stored for " + target);
        return TrainlogCli.NOTHING_MATCHED;
      }
      return TrainlogCli.OK;
    }
  }

  private long write(Store store, List<RunView> runs, List<String> names, PrintWriter w) {
    boolean csv = format.equals("csv");
    if (csv) {
      StringBuilder header = new StringBuilder("experiment,run,name,rank,step,timestamp");
      names.forEach(n -> header.append(',').append(Csv.field(n)));
      w.println(header);
    }
    long rows = 0;
    for (RunView run : runs) {
      List<String> paths = names.stream().map(run::pathOf).toList();
      Document projection = SeriesReader.projection(paths).append(RANK, 1);
      for (Document d : store.steps().find(new Document(RUN, run.runId())).projection(projection)
          .sort(new Document(RANK, 1).append(STEP, 1))) {
        Date t = d.getDate(TIMESTAMP);
        if (csv) {
          StringBuilder line = new StringBuilder();
          line.append(Csv.field(run.experiment())).append(',').append(Csv.field(run.runId())).append(',')
              .append(Csv.field(run.name())).append(',').append(d.get(RANK)).append(',').append(d.get(STEP))
              .append(',').append(t == null ? "" : t.toInstant().toString());
          for (String p : paths) {
            Object v = SeriesReader.at(d, p);
            line.append(',').append(v == null ? "" : Csv.field(v.toString()));
          }
          w.println(line);
        } else {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("experiment", run.experiment());
          row.put("run", run.runId());
          row.put("name", run.name());
          row.put("rank", d.get(RANK));
          row.put("step", d.get(STEP));
          row.put("timestamp", t == null ? null : t.toInstant().toString());
          Map<String, Object> values = new LinkedHashMap<>();
          for (int i = 0; i < names.size(); i++) {
            Object v = SeriesReader.at(d, paths.get(i));
            if (v != null) {
              values.put(names.get(i), v);
            }
          }
          row.put("metrics", values);
          w.println(Json.write(row, false));
        }
        rows++;
      }
    }
    w.flush();
    return rows;
  }
}
