package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestImages;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real MLflow 2.17 server started without artifact serving ({@link NoArtifactServer}): images and
 * artifacts become dead letters whose reason says what to change, never retried, and the scalars of the
 * same records and of the records around them are stored.
 */
class NoArtifactServingTest {

  @TempDir static Path scratch;
  @TempDir Path dir;
  private static NoArtifactServer local;
  private static NoArtifactServer proxied;
  private final List<MlflowBackend> opened = new ArrayList<>();

  @BeforeAll
  static void startServers() throws Exception {
    // runs get a local path: the default when a server does not serve artifacts
    local = NoArtifactServer.start(scratch.resolve("local"), "\"$DATA/artifacts\"");
    // runs get mlflow-artifacts:/ URIs, but the proxy endpoints answer 503
    proxied = NoArtifactServer.start(scratch.resolve("proxied"), "mlflow-artifacts:/proxied");
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (local != null) {
      local.close();
    }
    if (proxied != null) {
      proxied.close();
    }
  }

  @AfterEach
  void closeBackends() throws Exception {
    for (MlflowBackend b : opened) {
      b.close(RunStatus.FINISHED);
    }
  }

  private MlflowBackend open(String uri, RunInfo run) throws Exception {
    MlflowBackend backend = Fixtures.backend(Fixtures.config(uri), run);
    opened.add(backend);
    backend.open();
    return backend;
  }

  private List<LogRecord> batch(RunInfo run) throws Exception {
    Path ckpt = Files.write(dir.resolve("lora.safetensors"), new byte[] {7, 7, 7});
    Map<String, Object> withImage = new LinkedHashMap<>();
    withImage.put("loss", 0.5);
    withImage.put("samples/prompt_0", Images.of(Image.of(TestImages.png(4, 3, 1, 64))));
    Map<String, Object> withArtifact = new LinkedHashMap<>();
    withArtifact.put("loss", 0.3);
    withArtifact.put("checkpoints/lora.safetensors", new Artifact("checkpoints/lora.safetensors", 3, "x", ckpt));
    return List.of(TestRecords.record(run, 1, withImage), TestRecords.record(run, 2, Map.of("loss", 0.4)),
        TestRecords.record(run, 3, withArtifact));
  }

  private static List<Long> lossSteps(String uri, String runId) throws Exception {
    List<Long> steps = new ArrayList<>();
    new MlflowReader(uri).get("metrics/get-history", Map.of("run_id", runId, "metric_key", "loss")).path("metrics")
        .forEach(p -> steps.add(p.path("step").asLong()));
    return steps.stream().sorted().toList();
  }

  private static RunInfo run() {
    return TestRecords.run("no-artifacts-" + UUID.randomUUID().toString().substring(0, 8), "r");
  }

  @Test
  void withALocalArtifactRootImagesAndArtifactsAreDeadLettersWithTheReasonAndTheScalarsAreStored() throws Exception {
    RunInfo run = run();
    MlflowBackend backend = open(local.uri, run);
    List<LogRecord> batch = batch(run);
    String artifactUri = new MlflowReader(local.uri).get("runs/get", Map.of("run_id", backend.runId()))
        .path("run").path("info").path("artifact_uri").asText();

    assertThatThrownBy(() -> backend.write(batch))
        .isInstanceOf(BackendException.class)
        .hasMessage("MLflow permanently refused 2 of 3 records: the MLflow server does not serve artifacts: run "
            + backend.runId() + " has artifact_uri '" + artifactUri + "', not mlflow-artifacts:/...; start the server"
            + " with --serve-artifacts (the default since 2.0) and a default artifact root it proxies, or leave images"
            + " and artifacts out of this backend (sample: {images: ..., artifacts: ...}, exclude)")
        .satisfies(e -> assertThat(((BackendException) e).retryable()).isFalse())
        .satisfies(e -> assertThat(((BackendException) e).failedRecords()).containsExactly(batch.get(0), batch.get(2)));
    assertThat(artifactUri).doesNotStartWith("mlflow-artifacts:");
    assertThat(lossSteps(local.uri, backend.runId())).containsExactly(1L, 2L, 3L);
  }

  @Test
  void withAProxiedRootTheServersRefusalIsADeadLetterNotARetryAndTheScalarsAreStored() throws Exception {
    RunInfo run = run();
    MlflowBackend backend = open(proxied.uri, run);
    List<LogRecord> batch = batch(run);

    assertThatThrownBy(() -> backend.write(batch))
        .isInstanceOf(BackendException.class)
        .hasMessage("MLflow permanently refused 2 of 3 records: MLflow mlflow-artifacts/artifacts at " + proxied.uri
            + " failed with HTTP 503: the server runs with --no-serve-artifacts and stores no images or artifacts;"
            + " start it with --serve-artifacts, or leave images and artifacts out of this backend"
            + " (sample: {images: ..., artifacts: ...}, exclude)")
        .satisfies(e -> assertThat(((BackendException) e).retryable()).isFalse())
        .satisfies(e -> assertThat(((BackendException) e).failedRecords()).containsExactly(batch.get(0), batch.get(2)));
    assertThat(lossSteps(proxied.uri, backend.runId())).containsExactly(1L, 2L, 3L);

    backend.write(List.of(TestRecords.record(run, 4, Map.of("loss", 0.2))));
    assertThat(lossSteps(proxied.uri, backend.runId())).containsExactly(1L, 2L, 3L, 4L);
  }
}
