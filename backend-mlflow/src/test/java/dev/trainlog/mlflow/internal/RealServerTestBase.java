package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests against the real MLflow 2.17 server (SQLite store) from {@link RealMlflowServer}: the backend
 * talks to it through a {@link CountingProxy}, and the tests read the run back over the REST API with
 * their own client ({@link MlflowReader}, {@link RawPost}). Each test has an experiment of its own.
 */
@ExtendWith(RealMlflowServer.class)
abstract class RealServerTestBase {

  protected static String trackingUri;
  protected static MlflowReader reader;

  protected CountingProxy proxy;
  protected String experiment;
  private final List<MlflowBackend> opened = new ArrayList<>();

  @BeforeAll
  static void connect(RealMlflowServer.Peer peer) {
    trackingUri = peer.trackingUri();
    reader = trackingUri == null ? null : new MlflowReader(trackingUri); // no server: each test is skipped
  }

  @BeforeEach
  void startProxy(TestInfo test) throws IOException {
    proxy = new CountingProxy(trackingUri);
    experiment = getClass().getSimpleName() + "." + test.getTestMethod().orElseThrow().getName() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeBackends() throws Exception {
    try {
      for (MlflowBackend b : opened) {
        try {
          b.close(RunStatus.FINISHED);
        } catch (BackendException e) {
          // a test about refusals may leave a backend that never opened
        }
      }
    } finally {
      proxy.close();
    }
  }

  protected RunInfo run(String name) {
    return TestRecords.run(experiment, name);
  }

  /** A config pointing the backend at the real server through the proxy. */
  protected MlflowConfig config() {
    return Fixtures.config(proxy.uri());
  }

  /** A backend closed after the test, not opened yet. */
  protected MlflowBackend backend(MlflowConfig config, RunInfo run, Map<String, String> env) {
    MlflowBackend backend = Fixtures.backend(config, run, env);
    opened.add(backend);
    return backend;
  }

  protected MlflowBackend open(MlflowConfig config, RunInfo run) throws Exception {
    MlflowBackend backend = backend(config, run, Map.of());
    backend.open();
    return backend;
  }

  /** {@code runs/get}'s {@code run} object: {@code info} and {@code data}. */
  protected static JsonNode runsGet(String runId) throws IOException, InterruptedException {
    return reader.get("runs/get", Map.of("run_id", runId)).path("run");
  }

  /** One stored point as {@code metrics/get-history} gives it ("NaN" read as NaN). */
  record Point(long step, double value, long timestamp) {}

  /** {@code metrics/get-history} of one key, ordered by step: a duplicate shows as a repeated step. */
  protected static List<Point> history(String runId, String key) throws IOException, InterruptedException {
    List<Point> out = new ArrayList<>();
    reader.get("metrics/get-history", Map.of("run_id", runId, "metric_key", key)).path("metrics").forEach(p -> out.add(
        new Point(p.path("step").asLong(), MlflowReader.value(p.path("value")), p.path("timestamp").asLong())));
    out.sort(Comparator.comparingLong(Point::step));
    return out;
  }

  /** The stored params (or tags) of a run as key → value. */
  protected static Map<String, String> pairs(JsonNode run, String which) {
    Map<String, String> out = new LinkedHashMap<>();
    run.path("data").path(which).forEach(p -> out.put(p.path("key").asText(), p.path("value").asText()));
    return out;
  }

  /** A run made without the backend, for requests the backend never sends; returns its id. */
  protected String rawRun() throws IOException, InterruptedException {
    String experimentId = reader.json(RawPost.post(trackingUri, "experiments/create",
        "{\"name\":\"" + experiment + "-raw\"}")).path("experiment_id").asText();
    return reader.json(RawPost.post(trackingUri, "runs/create",
        "{\"experiment_id\":\"" + experimentId + "\",\"start_time\":" + TestRecords.START_MILLIS + "}"))
        .path("run").path("info").path("run_id").asText();
  }
}
