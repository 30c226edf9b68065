package dev.trainlog.mlflow;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestBackendContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Builds backends the way the core does: provider, config, context. */
final class Fixtures {

  /** The provider still takes a {@link Sleeper}; the backend must never wait on its own. */
  private static final Sleeper NO_WAITS = d -> {
    throw new AssertionError("the backend waited " + d + " itself: retries belong to the core");
  };

  private Fixtures() {}

  /** A config for {@code uri}. */
  static MlflowConfig config(String uri) {
    MlflowConfig c = new MlflowConfig();
    c.trackingUri = uri;
    c.requestTimeout = Duration.ofSeconds(10);
    return c;
  }

  static MlflowBackend backend(MlflowConfig config, RunInfo run, Map<String, String> env) {
    LogBackend backend = new MlflowBackendProvider(env, NO_WAITS)
        .create(new TestBackendContext("mlflow", run, config, Path.of("target", "mlflow-data")));
    return (MlflowBackend) backend;
  }

  static MlflowBackend backend(MlflowConfig config, RunInfo run) {
    return backend(config, run, Map.of());
  }
}
