package dev.trainlog.cli;

import dev.trainlog.mongodb.internal.KeyEscaping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog watch RUN}: prints a live run's new points as they arrive, and a line per alert that fires. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the new points of a live run as they arrive (change streams where the server has them, "
        + "polling otherwise) and one line per alert that fires. Ends when the run ends, or on Ctrl-C."})
final class WatchCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "RUN", description = "A run id, a unique run name or a unique prefix of a run id.")
  String target;

  @Option(names = "--alert", paramLabel = "RULE",
      description = "'loss > 2', 'loss < 0.01' or 'nan(loss)' (NaN or infinite); repeatable.")
  List<String> alerts = new ArrayList<>();

  @Option(names = "--fail-on-alert", description = "Exit with code 3 at the first alert (for cron or CI).")
  boolean failOnAlert;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "200ms",
      description = "Pause between reads when nothing arrived (default: ${DEFAULT-VALUE}).")
  String interval;

  @Override
  public Integer call() throws InterruptedException {
    long pause = Durations.parse(interval, "--interval").toMillis();
    try (Store store = Store.open(storeOptions.spec())) {
      RunView run = RunCatalog.loadAll(store).run(target);
      List<AlertExpression> rules = alerts.stream().map(a -> AlertExpression.parse(a, run)).toList();
      Document filter = SeriesReader.filter(run);
      Document lastDoc = store.steps().find(filter).sort(new Document("step", -1)).limit(1).first();
      long after = lastDoc == null ? Long.MIN_VALUE : ((Number) lastDoc.get("step")).longValue();
      try (PointSource source = PointSource.open(store.steps(), filter, after)) {
        root.out.println("watching " + run.experiment() + " / " + run.name() + " (" + run.runId() + ") from step "
            + (lastDoc == null ? "0" : after) + " by " + source.how() + "; Ctrl-C to stop");
        root.out.flush();
        long nextStatusCheck = 0;
        while (!root.stop.requested()) {
          List<Document> docs = source.next();
          for (Document d : docs) {
            root.out.println(line(d));
            for (AlertExpression rule : rules) {
              if (rule.rule().matches(d)) {
                root.out.println("ALERT " + rule.text() + " at step " + d.get("step") + " ("
                    + valueText(d, rule.rule().field()) + ")");
                if (failOnAlert) {
                  root.out.flush();
                  return TrainlogCli.ALERT;
                }
              }
            }
          }
          root.out.flush();
          long now = System.nanoTime();
          if (docs.isEmpty() && now >= nextStatusCheck) {
            nextStatusCheck = now + Duration.ofSeconds(1).toNanos();
            String status = status(store, run);
            if (!status.equals("RUNNING") && !status.equals("STALE")) {
              for (Document d : source.next()) {
                root.out.println(line(d));
              }
              root.out.println("run " + run.runId() + " ended: " + status);
              return TrainlogCli.OK;
            }
          }
          if (docs.isEmpty()) {
            root.stop.await(pause);
          }
        }
        root.out.println("stopped");
        return TrainlogCli.OK;
      }
    }
  }

  private String status(Store store, RunView run) {
    RunCatalog now = RunCatalog.load(store, new Document("run", run.runId()));
    return now.runs().isEmpty() ? "GONE" : now.runs().get(0).status(root.clock.instant());
  }

  /** {@code step 120  loss=0.04123  lr=0.0001  grad_norm=0.91}: every scalar of the step. */
  static String line(Document d) {
    StringBuilder sb = new StringBuilder("step ").append(d.get("step"));
    Object rank = d.get("rank");
    if (rank instanceof Number && ((Number) rank).intValue() != 0) {
      sb.append(" rank ").append(rank);
    }
    Document metrics = d.get("metrics", Document.class);
    if (metrics != null) {
      ShowCommand.flatten("", metrics).forEach((k, v) -> {
        if (v instanceof Number) {
          sb.append("  ").append(k).append('=').append(Format.number(((Number) v).doubleValue()));
        }
      });
    }
    return sb.toString();
  }

  private static String valueText(Document d, String path) {
    Object v = SeriesReader.at(d, path);
    String name = KeyEscaping.unescape(path.startsWith("metrics.") ? path.substring("metrics.".length()) : path);
    return name + "=" + (v instanceof Number ? Format.number(((Number) v).doubleValue()) : String.valueOf(v));
  }
}
