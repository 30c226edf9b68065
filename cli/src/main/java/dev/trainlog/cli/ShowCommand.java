package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.Durations;
import dev.trainlog.query.spec.MetricStats;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog show RUN}: everything the runs collection knows about one run. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Show one run: status, config (as stored, secrets redacted), tags and the summary of every metric.")
final class ShowCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "RUN", description = "A run id, a unique run name or a unique prefix of a run id.")
  String target;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Option(names = "--nodes", description = "Per node and GPU: mean and max utilisation and memory over the run"
      + " (system metrics), computed by the store.")
  boolean nodes;

  @Override
  public Integer call() {
    Instant now = root.clock.instant();
    try (Store store = Store.open(storeOptions.spec())) {
      RunView run = RunCatalog.loadAll(store).run(target);
      Map<String, Object> provenance = run.provenance();
      List<NodeUsage.Row> usage = nodes ? NodeUsage.of(store, run,
          run.summary().stream().map(MetricStats::name).toList()) : List.of();
      if (json) {
        Map<String, Object> m = asMap(run, now);
        m.put("provenance", provenance);
        if (nodes) {
          m.put("nodes", usage.stream().map(r -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("node", r.node());
            e.put("device", r.device());
            e.put("metric", r.metric());
            e.put("mean", r.mean());
            e.put("max", r.max());
            return e;
          }).toList());
        }
        root.out.println(Json.write(m, true));
        return ExitCodes.OK;
      }
      var out = root.out;
      out.println("run         " + run.runId());
      out.println("experiment  " + run.experiment());
      out.println("name        " + run.name());
      out.println("status      " + run.status(now) + "   ranks " + run.ranks() + "   host " + run.host());
      out.println("started     " + Format.time(run.start()) + "   ran " + Durations.format(run.duration())
          + run.end().map(e -> "   ended " + Format.time(e)).orElse("   (no end yet; last heartbeat "
              + Format.time(run.lastHeartbeat()) + ")"));
      out.println("last step   " + (run.lastStep() == null ? "-" : run.lastStep()));
      out.println();
      out.println("tags");
      flatten("", run.tags()).forEach((k, v) -> out.println("  " + k + " = " + v));
      out.println("config");
      flatten("", run.config()).forEach((k, v) -> out.println("  " + k + " = " + v));
      if (!run.backends().isEmpty()) {
        out.println("backends (sampling)");
        run.backends().forEach((k, v) -> out.println("  " + k + ": " + v));
      }
      printProvenance(provenance);
      out.println();
      List<MetricStats> metrics = run.summary();
      if (metrics.isEmpty()) {
        out.println("no metric summary stored (the run logged nothing yet, or predates summaries)");
      } else {
        List<MetricStats> system = metrics.stream().filter(m -> m.name().startsWith("system/")).toList();
        printSummary(metrics.stream().filter(m -> !m.name().startsWith("system/")).toList());
        if (!system.isEmpty()) {
          out.println();
          out.println("system metrics");
          printSummary(system);
        }
      }
      if (nodes) {
        out.println();
        if (usage.isEmpty()) {
          out.println("no system metrics stored for this run (system: {enabled: true} in the YAML turns them on)");
        } else {
          Table table = new Table("NODE", "DEVICE", "METRIC", "MEAN", "MAX");
          usage.forEach(r -> table.row(r.node(), r.device(), r.metric(), Format.number(r.mean()),
              Format.number(r.max())));
          table.print(out);
        }
      }
      return ExitCodes.OK;
    }
  }

  private void printSummary(List<MetricStats> metrics) {
    Table table = new Table("METRIC", "COUNT", "FIRST STEP", "LAST STEP", "LAST", "MIN", "MAX", "NAN");
    metrics.forEach(m -> table.row(m.name(), m.count(), m.firstStep(), m.lastStep(), Format.number(m.last()),
        Format.number(m.min()), Format.number(m.max()), m.nonFinite()));
    table.print(root.out);
  }

  private void printProvenance(Map<String, Object> provenance) {
    var out = root.out;
    if (provenance == null) {
      out.println("provenance  none recorded");
      return;
    }
    out.println("provenance");
    provenance.forEach((k, v) -> {
      if ("config_yaml".equals(k)) {
        out.println("  config_yaml =");
        String.valueOf(v).lines().forEach(line -> out.println("    " + line));
      } else {
        out.println("  " + k + " = " + v);
      }
    });
  }

  /** Nested maps as dotted keys, in stored order (the query API has undone the stored key escapes). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> flatten(String prefix, Map<String, ?> doc) {
    Map<String, Object> out = new LinkedHashMap<>();
    doc.forEach((k, v) -> {
      String key = prefix + k;
      if (v instanceof Map) {
        out.putAll(flatten(key + ".", (Map<String, Object>) v));
      } else {
        out.put(key, v);
      }
    });
    return out;
  }

  private Map<String, Object> asMap(RunView r, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", r.runId());
    m.put("experiment", r.experiment());
    m.put("name", r.name());
    m.put("status", r.status(now));
    m.put("ranks", r.ranks());
    m.put("host", r.host());
    m.put("start", r.start() == null ? null : r.start().toString());
    m.put("end", r.end().map(Instant::toString).orElse(null));
    m.put("duration_s", r.duration().getSeconds());
    m.put("last_step", r.lastStep());
    m.put("tags", r.tags());
    m.put("config", r.config());
    m.put("backends", r.backends());
    Map<String, Object> summary = new LinkedHashMap<>();
    for (MetricStats s : r.summary()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("count", s.count());
      e.put("first_step", s.firstStep());
      e.put("last_step", s.lastStep());
      e.put("last", Format.json(s.last()));
      e.put("min", Format.json(s.min()));
      e.put("max", Format.json(s.max()));
      e.put("nan", s.nonFinite());
      summary.put(s.name(), e);
    }
    m.put("summary", summary);
    return m;
  }
}
