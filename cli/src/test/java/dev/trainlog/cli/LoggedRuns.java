package dev.trainlog.cli;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.mongodb.internal.MongoBackendConfig;
import dev.trainlog.mongodb.internal.MongoBackendProvider;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestBackendContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data every command test reads, logged through {@link LogDispatcher} into the MongoDB backend:
 * two experiments, {@code rank32_exp} (run {@code r32-run}, a NaN loss at step 25) and {@code
 * rank64_exp} (runs {@code r64-run} and {@code crashed-run}, whose heartbeat stopped at {@link
 * #CRASH_HEARTBEAT}: it is never closed while the tests run).
 */
final class LoggedRuns implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant CRASH_HEARTBEAT = T0.plusSeconds(10);
  static final int STEPS = 50;
  static final int CRASH_STEPS = 20;
  static final long NAN_STEP = 25;

  private final String uri;
  private final Path dataDir;
  private LogDispatcher crashed;

  LoggedRuns(String uri, Path dataDir) {
    this.uri = uri;
    this.dataDir = dataDir;
  }

  static double loss(int rank, long step) {
    return (rank == 64 ? 0.03 : 0.04) + 0.1 * Math.exp(-step / 15.0);
  }

  static double lr(long step) {
    return 1e-4 * (1 - step / 100.0);
  }

  LoggedRuns logAll() {
    LogDispatcher r32 = dispatcher(run("rank32_exp", "lora-r32", "r32-run", 32), new MutableClock(T0));
    for (long s = 1; s <= STEPS; s++) {
      r32.step(s).scalar("loss", s == NAN_STEP ? Double.NaN : loss(32, s)).scalar("lr", lr(s)).log();
    }
    r32.close(RunStatus.FINISHED);

    LogDispatcher r64 = dispatcher(run("rank64_exp", "lora-r64", "r64-run", 64), new MutableClock(T0));
    for (long s = 1; s <= STEPS; s++) {
      var step = r64.step(s).scalar("loss", loss(64, s)).scalar("lr", lr(s));
      if (s % 10 == 0) {
        step.scalar("eval/clip_score", 0.2 + s / 1000.0);
      }
      step.log();
    }
    r64.close(RunStatus.FINISHED);

    MutableClock crashClock = new MutableClock(T0);
    crashed = dispatcher(run("rank64_exp", "crashed", "crashed-run", 64), crashClock);
    for (long s = 1; s <= CRASH_STEPS; s++) {
      crashed.step(s).scalar("loss", loss(64, s)).log();
    }
    // written and its backend open before the clock moves, else the heartbeat's interval starts after the move
    // and no heartbeat stores its progress (a full build on a loaded machine missed 10 s once)
    flushed(crashed);
    crashClock.advance(Duration.between(T0, CRASH_HEARTBEAT));
    flushed(crashed);
    return this;
  }

  private static void flushed(LogDispatcher d) {
    if (!d.flush(Duration.ofSeconds(60))) {
      throw new IllegalStateException("the crashed run's records were not written within 60 s");
    }
  }

  static RunInfo run(String experiment, String name, String id, int rank) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "SDXL");
    config.put("lora_rank", rank);
    config.put("batch_size", 32);
    config.put("hf_token", "hf_secret_value");
    return RunInfo.builder().experiment(experiment).runName(name).runId(id).node("node-0")
        .tag("team", "vision").config(config).startTimeMillis(T0.toEpochMilli()).build();
  }

  /** A dispatcher with only the MongoDB backend, every step kept, on {@code clock}. */
  LogDispatcher dispatcher(RunInfo run, MutableClock clock) {
    return dispatcher(run, clock, MongoBackendConfig.DEFAULT_DATABASE);
  }

  /** As above, into another database (tests that add runs keep the shared data as it is). */
  LogDispatcher dispatcher(RunInfo run, MutableClock clock, String database) {
    SettingsView settings = SettingsView.of("backends.mongo",
        Map.of("uri", uri, "database", database, "server-selection-timeout", "2s"));
    var backend = new MongoBackendProvider().create(
        new TestBackendContext("mongo", run, settings, Map.of(), dataDir.resolve(run.runId()), clock));
    settings.throwIfAny();
    return LogDispatcher.builder(run).backend("mongo", backend).clock(clock).shutdownHook(false)
        .journalDir(dataDir.resolve("spool-" + run.runId())).deadLetterDir(dataDir.resolve("dead-" + run.runId()))
        .build();
  }

  /** Ends the crashed run's process for good (the tests are over). */
  @Override
  public void close() {
    if (crashed != null) {
      crashed.close(RunStatus.KILLED);
    }
  }
}
