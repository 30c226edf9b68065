package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.Durations;
import com.mongodb.MongoException;
import dev.trainlog.query.spec.AlertCheck;
import dev.trainlog.query.spec.RankDelivery;
import dev.trainlog.query.spec.StepFeed;
import dev.trainlog.query.spec.StepValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
    StepFeed source = null;
    try {
      RunView run = awaitRun(store, pause);
      if (run == null) {
        root.out.println("stopped");
        return ExitCodes.OK;
      }
      List<AlertCheck> rules = alerts.stream().map(WatchCommand::rule).toList();
      Long stored = store.query().delivery(run.record()).stream().filter(d -> d.rank() == run.lowestRank())
          .map(RankDelivery::storedStep).filter(s -> s != null).findFirst().orElse(null);
      long last = stored == null ? Long.MIN_VALUE : stored;
      source = store.query().follow(run.record(), last, false);
      root.out.println("watching " + run.experiment() + " / " + run.name() + " (" + run.runId() + ") from step "
          + (stored == null ? "0" : last) + " by " + source.mode() + "; Ctrl-C to stop");
      root.out.flush();
      long nextStatusCheck = 0;
      while (!root.stop.requested()) {
        try {
          List<StepValues> docs = source.next();
          for (StepValues d : docs) {
            last = Math.max(last, d.step());
            root.out.println(line(d));
            if (alerted(d, rules) && failOnAlert) {
              root.out.flush();
              return ExitCodes.ALERT;
            }
          }
          root.out.flush();
          long now = System.nanoTime();
          if (docs.isEmpty() && now >= nextStatusCheck) {
            nextStatusCheck = now + Duration.ofSeconds(1).toNanos();
            String status = status(store, run);
            if (!status.equals("RUNNING") && !status.equals("STALE")) {
              // the run's last points were stored before its end: read them all, whatever the stream delivered
              for (StepValues d : store.query().follow(run.record(), last, true).next()) {
                root.out.println(line(d));
                alerted(d, rules);
              }
              root.out.println("run " + run.runId() + " ended: " + status);
              return ExitCodes.OK;
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
          source = store.query().follow(run.record(), last, false);
        }
      }
      root.out.println("stopped");
      return ExitCodes.OK;
    } finally {
      if (source != null) {
        source.close();
      }
      if (store != null) {
        store.close();
      }
    }
  }

  private static AlertCheck rule(String text) {
    try {
      return AlertCheck.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--alert was '" + text + "' but it must read " + AlertCheck.GRAMMAR);
    }
  }

  private boolean alerted(StepValues d, List<AlertCheck> rules) {
    boolean any = false;
    for (AlertCheck rule : rules) {
      Object value = d.metrics().get(rule.metric());
      Object total = rule.totalMetric() == null ? null : d.metrics().get(rule.totalMetric());
      if (value instanceof Number v && (rule.totalMetric() == null || total instanceof Number)
          && rule.fires(v.doubleValue(), total instanceof Number t ? t.doubleValue() : Double.NaN)) {
        root.out.println("ALERT " + rule.text() + " at step " + d.step() + " (" + rule.metric() + "="
            + Format.number(v.doubleValue()) + ")");
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
        if (!waitForRun || e.exitCode() != ExitCodes.NOTHING_MATCHED) {
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
  static String line(StepValues d) {
    StringBuilder sb = new StringBuilder("step ").append(d.step());
    if (d.rank() != 0) {
      sb.append(" rank ").append(d.rank());
    }
    ShowCommand.flatten("", d.metrics()).forEach((k, v) -> {
      if (v instanceof Number) {
        sb.append("  ").append(k).append('=').append(Format.number(((Number) v).doubleValue()));
      }
    });
    return sb.toString();
  }
}
