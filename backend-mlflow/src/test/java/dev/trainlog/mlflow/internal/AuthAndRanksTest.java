package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Credentials reach the server and never a message; only the configured ranks log. */
class AuthAndRanksTest extends ServerTestBase {

  @Test
  void aBearerTokenFromTheEnvironmentIsSent() throws Exception {
    server.requireToken("tok-123");

    MlflowBackend backend = open(Fixtures.config(server.uri()), run(), Map.of("MLFLOW_TRACKING_TOKEN", "tok-123"));
    backend.write(TestRecords.scalarSteps(run(), 0, 2));

    assertThat(server.authorizations).isNotEmpty().containsOnly("Bearer tok-123");
    assertThat(stored(backend).points).hasSize(4);
  }

  @Test
  void basicCredentialsFromYamlAreSentAndWinOverTheEnvironment() throws Exception {
    server.requireBasic("alice", "pw:1");
    MlflowConfig config = Fixtures.config(server.uri());
    config.username = "alice";
    config.password = "pw:1";

    MlflowBackend backend = open(config, run(),
        Map.of("MLFLOW_TRACKING_USERNAME", "bob", "MLFLOW_TRACKING_PASSWORD", "x", "MLFLOW_TRACKING_TOKEN", "t"));

    assertThat(backend.runId()).isNotNull();
    assertThat(server.authorizations).containsOnly("Basic YWxpY2U6cHc6MQ==");
  }

  @Test
  void aRefusedTokenIsAClearPermanentErrorThatDoesNotShowTheToken() throws Exception {
    server.requireToken("right");
    MlflowBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run(),
        Map.of("MLFLOW_TRACKING_TOKEN", "wrong-secret"));

    BackendException e = catchThrowableOfType(BackendException.class, backend::open);

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).isEqualTo("MLflow experiments/get-by-name at " + server.uri() + " was refused with"
        + " HTTP 401 using a bearer token: set token (MLFLOW_TRACKING_TOKEN) or username and password"
        + " (MLFLOW_TRACKING_USERNAME, MLFLOW_TRACKING_PASSWORD) to credentials the server accepts");
    assertThat(backend.toString()).doesNotContain("wrong-secret");
    assertThat(server.requests("experiments/get-by-name")).isEqualTo(1);
  }

  @Test
  void anUnknownPathAnsweredWithHtmlIsAPermanentErrorWithAHint() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri() + "/not-mlflow");
    MlflowBackend backend = Fixtures.backend(config, run());

    BackendException e = catchThrowableOfType(BackendException.class, backend::open);

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).isEqualTo("MLflow experiments/get-by-name at " + server.uri() + "/not-mlflow failed"
        + " with HTTP 404 (not an MLflow API answer: is tracking-uri the base URL of an MLflow tracking server?)");
  }

  @Test
  void credentialsInTheTrackingUriAreRedactedInMessages() throws Exception {
    server.close();
    MlflowConfig config = Fixtures.config(server.uri().replace("http://", "http://user:hunter2@"));
    MlflowBackend backend = Fixtures.backend(config, run());

    BackendException e = catchThrowableOfType(BackendException.class, backend::open);

    assertThat(e.getMessage()).doesNotContain("hunter2").contains("user:****@");
  }

  @Test
  void onlyRankZeroLogsByDefault() throws Exception {
    RunInfo rank1 = TestRecords.run("exp", "run-a", 1, 2, "node-1");

    MlflowBackend backend = open(Fixtures.config(server.uri()), rank1);
    backend.write(TestRecords.scalarSteps(rank1, 0, 3));
    backend.close(RunStatus.FINISHED);

    assertThat(backend.runId()).isNull();
    assertThat(server.authorizations).isEmpty();
  }

  @Test
  void withRanksAllEveryRankLogsToARunOfItsOwn() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.ranks = "all";
    RunInfo rank0 = TestRecords.run("exp", "run-a", 0, 2, "node-0");
    RunInfo rank1 = TestRecords.run("exp", "run-a", 1, 2, "node-1");

    MlflowBackend b0 = open(config, rank0);
    MlflowBackend b1 = open(config, rank1);
    b1.write(TestRecords.scalarSteps(rank1, 0, 3));

    assertThat(stored(b0).name).isEqualTo("run-a-rank0");
    assertThat(stored(b1).name).isEqualTo("run-a-rank1");
    assertThat(stored(b1).tags).containsEntry("trainlog.rank", "1").containsEntry("trainlog.run_id", "exp-run-a-id");
    assertThat(stored(b1).points).hasSize(6);
    assertThat(stored(b0).points).isEmpty();
  }
}
