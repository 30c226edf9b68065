package dev.trainlog.mongodb.internal;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestBackendContext;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Shared helpers: configs aimed at a test server, backends built from them, and backends built from YAML-shaped
 * settings through the provider the way the core does.
 */
final class Fixtures {

  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(TestRecords.START_MILLIS), ZoneOffset.UTC);

  private Fixtures() {}

  /** Defaults, except a short server selection timeout so an outage fails fast. */
  static MongoBackendConfig config(String uri) {
    return config(uri, Duration.ofSeconds(1));
  }

  /** Defaults, except that an operation waits {@code serverSelection} for a reachable server. */
  static MongoBackendConfig config(String uri, Duration serverSelection) {
    return new MongoBackendConfig(uri, null, null, null, null, null, null, null,
        serverSelection, null, null, null, null);
  }

  static LogBackend backend(MongoBackendConfig config, RunInfo run, Path dir) {
    return backend(config, run, dir, CLOCK);
  }

  static LogBackend backend(MongoBackendConfig config, RunInfo run, Path dir, Clock clock) {
    return new MongoBackend("mongo", run, config, clock, name -> null);
  }

  /** A backend from {@code settings} through the provider; throws every problem the settings view collected. */
  static LogBackend fromSettings(Map<String, ?> settings, Map<String, String> env, RunInfo run, Path dir) {
    SettingsView view = SettingsView.of("backends.mongo", settings, env);
    LogBackend backend = new MongoBackendProvider().create(new TestBackendContext("mongo", run, view, env, dir, CLOCK));
    view.throwIfAny();
    return backend;
  }

  static MongoClient client(String uri) {
    return MongoClients.create(uri);
  }
}
