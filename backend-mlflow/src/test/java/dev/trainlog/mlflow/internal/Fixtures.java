package dev.trainlog.mlflow.internal;

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

/** Builds backends against a {@link MlflowRulesServer} the way the core does: provider, settings view, context. */
final class Fixtures {

  private Fixtures() {}

  /** A config for {@code uri}. */
  static MlflowConfig config(String uri) {
    MlflowConfig c = new MlflowConfig();
    c.trackingUri = uri;
    c.requestTimeout = Duration.ofSeconds(10);
    return c;
  }

  /** A backend from {@code config}'s YAML through the provider, with {@code env} as the variables; throws its problems. */
  static MlflowBackend backend(MlflowConfig config, RunInfo run, Map<String, String> env) {
    SettingsView settings = SettingsView.of("backends.mlflow", config.yaml(), env);
    LogBackend backend = new MlflowBackendProvider().create(new TestBackendContext("mlflow", run, settings, env,
        Path.of("target", "mlflow-data"), Clock.fixed(Instant.ofEpochMilli(TestRecords.START_MILLIS), ZoneOffset.UTC)));
    settings.throwIfAny();
    return (MlflowBackend) backend;
  }

  static MlflowBackend backend(MlflowConfig config, RunInfo run) {
    return backend(config, run, Map.of());
  }
}
