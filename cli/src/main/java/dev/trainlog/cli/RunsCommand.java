package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.Durations;
import dev.trainlog.query.spec.MetricStats;
import dev.trainlog.query.spec.RunFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog runs}: one line per run, from the runs collection alone. */
@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"List runs: experiment, name, id, ranks, status, start, duration, last step and the last value "
        + "of --metric.", "A RUNNING run silent for 3 heartbeat intervals shows as STALE (it probably died)."})
final class RunsCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--experiment", paramLabel = "NAME", description = "Only runs of this experiment.")
  String experiment;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only runs with this status: running, stale, finished, failed, killed, unknown.")
  String status;

  @Option(names = "--where", paramLabel = "EXPR",
      description = "A condition on the run's document, e.g. config.lora_rank=64 (repeatable; all must hold).")
  List<String> where = new ArrayList<>();

  @Option(names = "--since", paramLabel = "DURATION", description = "Only runs started within this long, e.g. 2d.")
  String since;

  @Option(names = "--metric", paramLabel = "NAME", defaultValue = "loss",
      description = "The metric whose last value is shown (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--reached", paramLabel = "METRIC<NUMBER",
      description = "Only runs whose metric went below the number (a finite value), e.g. 'loss<0.05'; with --within.")
  String reached;

  @Option(names = "--within", paramLabel = "STEPS",
      description = "With --reached: at a step no higher than this, e.g. 10000.")
  String within;

  @Option(names = "--json", description = "Print a JSON array instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    RunFilter filter = RunFilter.ALL.withExperiment(experiment);
    for (String w : where) {
      filter = filter.with(WhereExpression.parse(w));
    }
    Instant now = root.clock.instant();
    if (since != null) {
      filter = filter.withSince(now.minus(Durations.parse(since, "--since")));
    }
    String wanted = status == null ? null : status.toUpperCase(Locale.ROOT);
    try (Store store = Store.open(storeOptions.spec())) {
      RunCatalog all = RunCatalog.loadAll(store);
      List<RunView> runs = filter.equals(RunFilter.ALL) ? all.runs() : RunCatalog.load(store, filter).runs();
      runs = runs.stream().filter(r -> wanted == null || r.status(now).equals(wanted)).toList();
      if (runs.isEmpty()) {
        root.err.println("no run matches (the store has " + all.runs().size() + " runs; see trainlog runs)");
        return ExitCodes.NOTHING_MATCHED;
      }
      if (reached != null || within != null) {
        return ReachedRuns.print(root, store, runs, reached, within, json);
      }
      if (json) {
        root.out.println(Json.write(runs.stream().map(r -> asMap(r, now)).toList(), true));
      } else {
        Table table = new Table("EXPERIMENT", "NAME", "RUN", "RANKS", "STATUS", "START", "DURATION", "LAST STEP",
            metric.toUpperCase(Locale.ROOT));
        for (RunView r : runs) {
          table.row(r.experiment(), r.name(), r.runId(), r.ranks(), r.status(now), Format.time(r.start()),
              Durations.format(r.duration()), r.lastStep(),
              Format.number(r.metric(metric).map(MetricStats::last).orElse(null)));
        }
        table.print(root.out);
      }
      return ExitCodes.OK;
    }
  }

  private Map<String, Object> asMap(RunView r, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", r.experiment());
    m.put("name", r.name());
    m.put("run", r.runId());
    m.put("ranks", r.ranks());
    m.put("status", r.status(now));
    m.put("start", r.start() == null ? null : r.start().toString());
    m.put("duration_s", r.duration().getSeconds());
    m.put("last_step", r.lastStep());
    m.put("metric", metric);
    m.put("last_value", Format.json(r.metric(metric).map(MetricStats::last).orElse(null)));
    return m;
  }
}
