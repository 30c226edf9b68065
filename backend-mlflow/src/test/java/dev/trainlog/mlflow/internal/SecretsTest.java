package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets in a run's tags or config never reach the MLflow server, in params, tags or any request. */
class SecretsTest extends ServerTestBase {

  private static final String HF_TOKEN = "hf_abc123";
  private static final String TAG_TOKEN = "tok-4f9e2a";
  private static final String PASSWORD = "hunter2-s3cret";

  @Test
  void aRunsSecretsAreRedactedInParamsAndTags() throws Exception {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "SDXL");
    config.put("hf_token", HF_TOKEN);
    config.put("credentials", Map.of("user", "alice", "pass", PASSWORD));
    config.put("data", Map.of("uri", "mongodb://alice:" + PASSWORD + "@db:27017/logs"));
    config.put("mirrors", List.of("https://" + HF_TOKEN + "@hub.example/x"));
    RunInfo run = run().toBuilder().tag("api_token", TAG_TOKEN).config(config).build();

    MlflowBackend backend = open(Fixtures.config(server.uri()), run);
    backend.write(TestRecords.scalarSteps(run, 0, 2));
    backend.close(RunStatus.FINISHED);

    RulesStore.Run stored = stored(backend);
    assertThat(stored.params).containsEntry("model", "SDXL").containsEntry("hf_token", "****")
        .containsEntry("credentials", "****").containsEntry("data.uri", "mongodb://alice:****@db:27017/logs");
    assertThat(stored.tags).containsEntry("team", "vision").containsEntry("api_token", "****");
    assertThat(server.received).isNotEmpty().allSatisfy(request ->
        assertThat(request).doesNotContain(HF_TOKEN, TAG_TOKEN, PASSWORD, "alice\""));
  }
}
