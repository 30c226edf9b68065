package dev.trainlog.query;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.mongodb.internal.MongoBackendProvider;
import dev.trainlog.testkit.TestBackendContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Dispatchers with only the MongoDB backend, every step kept, writing to a real wire-protocol server. */
final class StoreLog {

  /** The flush interval the live latency is promised for. */
  static final Duration FLUSH = Duration.ofMillis(200);

  private final String uri;
  private final Path dataDir;

  StoreLog(String uri, Path dataDir) {
    this.uri = uri;
    this.dataDir = dataDir;
  }

  static RunInfo run(String experiment, String id, Map<String, Object> config, Instant start) {
    return RunInfo.builder().experiment(experiment).runName(id + "-name").runId(id).node("node-0")
        .tag("team", "vision").config(config).startTimeMillis(start.toEpochMilli()).build();
  }

  LogDispatcher dispatcher(RunInfo run, Clock clock) {
    SettingsView settings = SettingsView.of("backends.mongo", Map.of("uri", uri, "server-selection-timeout", "2s"));
    var backend = new MongoBackendProvider().create(
        new TestBackendContext("mongo", run, settings, Map.of(), dataDir.resolve(run.runId()), clock));
    settings.throwIfAny();
    return LogDispatcher.builder(run)
        .backend("mongo", backend, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(FLUSH)).clock(clock).shutdownHook(false)
        .journalDir(dataDir.resolve("spool-" + run.runId())).deadLetterDir(dataDir.resolve("dead-" + run.runId()))
        .build();
  }
}
