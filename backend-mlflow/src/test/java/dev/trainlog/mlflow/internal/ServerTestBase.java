package dev.trainlog.mlflow.internal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh {@link MlflowRulesServer} per test, and helpers to open backends against it. */
abstract class ServerTestBase {

  protected MlflowRulesServer server;
  protected MlflowReader reader;
  private final List<MlflowBackend> opened = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = MlflowRulesServer.start();
    reader = new MlflowReader(server.uri());
  }

  @AfterEach
  void stopServer() throws Exception {
    server.clearFailures();
    for (MlflowBackend b : opened) {
      try {
        b.close(RunStatus.FINISHED);
      } catch (BackendException e) {
        // a test that stopped the server leaves its backends unable to close, and retryably so
        if (!e.retryable()) {
          throw e;
        }
      }
    }
    server.close();
  }

  protected RunInfo run() {
    return TestRecords.run("exp", "run-a");
  }

  protected MlflowBackend open(MlflowConfig config, RunInfo run) throws Exception {
    return open(config, run, Map.of());
  }

  protected MlflowBackend open(MlflowConfig config, RunInfo run, Map<String, String> env) throws Exception {
    MlflowBackend backend = Fixtures.backend(config, run, env);
    opened.add(backend);
    backend.open();
    return backend;
  }

  protected MlflowBackend open() throws Exception {
    return open(Fixtures.config(server.uri()), run());
  }

  protected RulesStore.Run stored(MlflowBackend backend) throws RulesStore.ApiError {
    return server.store.run(backend.runId());
  }

  /** A record at {@code step} with {@code count} scalars named m0, m1, .... */
  protected static LogRecord wide(RunInfo run, long step, int count) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      m.put("m" + i, (double) i + step);
    }
    return TestRecords.record(run, step, Collections.unmodifiableMap(m));
  }

  protected static LogRecord record(RunInfo run, long step, Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return TestRecords.record(run, step, Collections.unmodifiableMap(m));
  }
}
