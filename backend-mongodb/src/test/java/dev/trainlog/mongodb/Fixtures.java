package dev.trainlog.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestBackendContext;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Shared helpers: configs aimed at a test server and backends built through the provider. */
final class Fixtures {

  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(TestRecords.START_MILLIS), ZoneOffset.UTC);

  private Fixtures() {}

  /** Defaults, except a short server selection timeout so an outage fails fast. */
  static MongoBackendConfig config(String uri) {
    return new MongoBackendConfig(uri, null, null, null, null, null, null, null,
        Duration.ofSeconds(1), null, null, null, null);
  }

  static LogBackend backend(MongoBackendConfig config, RunInfo run, Path dir) {
    return backend(config, run, dir, CLOCK);
  }

  static LogBackend backend(MongoBackendConfig config, RunInfo run, Path dir, Clock clock) {
    return new MongoBackendProvider().create(new TestBackendContext("mongo", run, config, Map.of(), dir, clock));
  }

  static MongoClient client(String uri) {
    return MongoClients.create(uri);
  }
}
