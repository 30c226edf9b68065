package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.METRICS;
import static dev.trainlog.mongodb.StoreSchema.RANK;
import static dev.trainlog.mongodb.StoreSchema.RUN;
import static dev.trainlog.mongodb.StoreSchema.STEP;

import com.mongodb.MongoException;
import dev.trainlog.mongodb.StoreSchema;
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
        + "polling otherwise) and one line per alert that fires. Ends when the run ends, with its last points and"
        + " its final status, or on Ctrl-C; reconnects when the store restarts."})
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

  @Option(names = "--wait", description = "When the run is not in the store yet, wait for it to start (watch"
      + " before the trainer).")
  boolean waitForRun;

  @Override
  public Integer call() throws InterruptedException {
    long pause = Durations.parse(interval, "--interval").toMillis();
    StoreSpec spec = storeOptions.spec();
    Store store = Store.open(spec, waitForRun);
    PointSource source = null;
    try {
      RunView run = awaitRun(store, pause);
      if (run == null) {
        root.out.println("stopped");
        return TrainlogCli.OK;
      }
      List<AlertExpression> rules = alerts.stream().map(a -> AlertExpression.parse(a, run)).toList();
      Document filter = new Document(RUN, run.runId()).append(RANK, run.lowestRank());
      Document lastDoc = store.steps().find(filter).sort(new Document(STEP, -1)).limit(1).first();
      long last = lastDoc == null ? Long.MIN_VALUE : ((Number) lastDoc.get(STEP)).longValue();
      source = PointSource.open(store.steps(), filter, last);
      root.out.println("watching " + run.experiment() + " / " + run.name() + " (" + run.runId() + ") from step "
          + (lastDoc == null ? "0" : last) + " by " + source.how() + "; Ctrl-C to stop");
      root.out.flush();
      long nextStatusCheck = 0;
      while (!root.stop.requested()) {
        try {
          List<Document> docs = source.next();
          for (Document d : docs) {
            last = Math.max(last, ((Number) d.get(STEP)).longValue());
            root.out.println(line(d));
            if (alerted(d, rules) && failOnAlert) {
              root.out.flush();
              return TrainlogCli.ALERT;
            }
          }
          root.out.flush();
          long now = System.nanoTime();
          if (docs.isEmpty() && now >= nextStatusCheck) {
            nextStatusCheck = now + Duration.ofSeconds(1).toNanos();
            String status = status(store, run);
            if (!status.equals("RUNNING") && !status.equals("STALE")) {
              // the run's last points were stored before its end: read them all, whatever the stream delivered
              for (Document d : new PointSource.Polling(store.steps(), filter, last).next()) {
                root.out.println(line(d));
                alerted(d, rules);
              }
              root.out.println("run " + run.runId() + " ended: " + status);
              return TrainlogCli.OK;
            }
          }
          if (docs.isEmpty()) {
            root.stop.await(pause);
          }
        } catch (MongoException e) {
          // the store went away (a store service restarted, a network cut): reconnect and go on after `last`
          source.close();
          store.close();
          root.err.println("trainlog: lost the store (" + TrainlogCli.oneLine(e) + "); reconnecting");
          root.err.flush();
          store = reconnect(spec, pause);
          if (store == null) {
            break;
          }
          source = PointSource.open(store.steps(), filter, last);
        }
      }
      root.out.println("stopped");
      return TrainlogCli.OK;
    } finally {
      if (source != null) {
        source.close();
      }
      if (store != null) {
        store.close();
      }
    }
  }

  private boolean alerted(Document d, List<AlertExpression> rules) {
    boolean any = false;
    for (AlertExpression rule : rules) {
      if (rule.rule().matches(d)) {
        root.out.println("ALERT " + rule.text() + " at step " + d.get(STEP) + " ("
            + valueText(d, rule.rule().field()) + ")");
        any = true;
      }
    }
    return any;
  }

  /** The run to watch; with {@code --wait}, waits until it appears (null when stopped meanwhile). */
  private RunView awaitRun(Store store, long pause) throws InterruptedException {
    boolean said = false;
    while (true) {
      try {
        return RunCatalog.loadAll(store).run(target);
      } catch (CliException e) {
        if (!waitForRun || e.exitCode() != TrainlogCli.NOTHING_MATCHED) {
          throw e;
        }
      }
      if (!said) {
        root.out.println("waiting for run " + target + " to start; Ctrl-C to stop");
        root.out.flush();
        said = true;
      }
      if (root.stop.await(pause)) {
        return null;
      }
    }
  }

  /** Opens the store again, retrying every {@code pause} until it answers; null when stopped meanwhile. */
  private Store reconnect(StoreSpec spec, long pause) throws InterruptedException {
    while (!root.stop.requested()) {
      try {
        return Store.open(spec, true);
      } catch (CliException | MongoException e) {
        if (root.stop.await(Math.max(pause, 500))) {
          return null;
        }
      }
    }
    return null;
  }

  private String status(Store store, RunView run) {
    return store.query().run(run.runId()).map(r -> r.status(root.clock.instant())).orElse("GONE");
  }

  /** {@code step 120  loss=0.04123  lr=0.0001  grad_norm=0.91}: every scalar of the step. */
  static String line(Document d) {
    StringBuilder sb = new StringBuilder("step ").append(d.get(STEP));
    Object rank = d.get(RANK);
    if (rank instanceof Number && ((Number) rank).intValue() != 0) {
      sb.append(" rank ").append(rank);
    }
    Document metrics = d.get(METRICS, Document.class);
    if (metrics != null) {
      ShowCommand.flatten("", metrics).forEach((k, v) -> {
        if (v instanceof Number) {
          sb.append("  ").append(StoreSchema.unescape(k)).append('=').append(Format.number(((Number) v).doubleValue()));
        }
      });
    }
    return sb.toString();
  }

  private static String valueText(Document d, String path) {
    Object v = PointSource.at(d, path);
    String name = StoreSchema.unescape(path.startsWith(METRICS + ".") ? path.substring(METRICS.length() + 1) : path);
    return name + "=" + (v instanceof Number ? Format.number(((Number) v).doubleValue()) : String.valueOf(v));
  }
}
