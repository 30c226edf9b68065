package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Experiments, runs, resume and the final status. */
class RunLifecycleTest extends ServerTestBase {

  @Test
  void theExperimentIsCreatedByNameAndTheRunCarriesItsTags() throws Exception {
    MlflowBackend backend = open();

    RulesStore.Run run = stored(backend);
    assertThat(server.store.experiments).containsOnlyKeys("exp");
    assertThat(run.experimentId).isEqualTo(server.store.experiments.get("exp"));
    assertThat(run.name).isEqualTo("run-a");
    assertThat(run.startTime).isEqualTo(TestRecords.START_MILLIS);
    assertThat(run.tags).containsEntry("mlflow.runName", "run-a")
        .containsEntry("mlflow.user", System.getProperty("user.name"))
        .containsEntry("mlflow.source.type", "LOCAL")
        .containsEntry("trainlog.run_id", "exp-run-a-id")
        .containsEntry("team", "vision")
        .containsKey("mlflow.source.name");
  }

  @Test
  void anExistingExperimentIsReused() throws Exception {
    String id = server.store.createExperimentNamed("exp");

    MlflowBackend backend = open();

    assertThat(stored(backend).experimentId).isEqualTo(id);
    assertThat(server.requests("experiments/create")).isZero();
  }

  @Test
  void anExperimentCreatedByAnotherRankMeanwhileIsUsed() throws Exception {
    server.store.raceOnExperiment("exp");

    MlflowBackend backend = open();

    assertThat(server.requests("experiments/get-by-name")).isEqualTo(2);
    assertThat(server.requests("experiments/create")).isEqualTo(1);
    assertThat(stored(backend).experimentId).isEqualTo(server.store.experiments.get("exp"));
  }

  @Test
  void theExperimentAndUserCanBeConfigured() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.experiment = "other";
    config.user = "ci-bot";
    config.runName = "named";

    MlflowBackend backend = open(config, run());

    assertThat(server.store.experiments).containsOnlyKeys("other");
    assertThat(stored(backend).user).isEqualTo("ci-bot");
    assertThat(stored(backend).name).isEqualTo("named");
  }

  @Test
  void aRunIsResumedByTheRunIdInYaml() throws Exception {
    String id = existingRun();
    MlflowConfig config = Fixtures.config(server.uri());
    config.runId = id;

    MlflowBackend backend = open(config, run());
    backend.write(TestRecords.scalarSteps(run(), 0, 2));

    assertThat(backend.runId()).isEqualTo(id);
    assertThat(server.requests("runs/create")).isEqualTo(1);
    assertThat(server.store.run(id).status).isEqualTo("RUNNING");
    assertThat(server.store.run(id).points).hasSize(4);
  }

  @Test
  void aRunIsResumedByMlflowRunIdFromTheEnvironment() throws Exception {
    String id = existingRun();

    MlflowBackend backend = open(Fixtures.config(server.uri()), run(), Map.of("MLFLOW_RUN_ID", id));

    assertThat(backend.runId()).isEqualTo(id);
  }

  @Test
  void resumingAnUnknownRunIsAPermanentError() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.runId = "nope";
    MlflowBackend backend = Fixtures.backend(config, run());

    BackendException e = catchThrowableOfType(BackendException.class, backend::open);

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).isEqualTo("cannot resume MLflow run 'nope' (run-id or MLFLOW_RUN_ID): MLflow runs/get at "
        + server.uri() + " failed with HTTP 404 RESOURCE_DOES_NOT_EXIST: Run with id=nope not found");
  }

  @Test
  void aChangedParamOnResumeIsWarnedAboutAndTheRunStillOpens() throws Exception {
    String id = existingRun();
    server.store.run(id).params.put("model", "SD15");
    MlflowConfig config = Fixtures.config(server.uri());
    config.runId = id;

    MlflowBackend backend = open(config, run());

    assertThat(backend.runId()).isEqualTo(id);
    assertThat(server.store.run(id).params).containsEntry("model", "SD15");
  }

  @ParameterizedTest
  @EnumSource(RunStatus.class)
  void closeSetsTheRunStatusAndEndTime(RunStatus status) throws Exception {
    MlflowBackend backend = open();

    backend.close(status);

    assertThat(stored(backend).status).isEqualTo(status.name());
    assertThat(stored(backend).endTime).isEqualTo(TestRecords.START_MILLIS);
  }

  @Test
  void aSecondCloseSendsNothing() throws Exception {
    MlflowBackend backend = open();
    backend.close(RunStatus.KILLED);
    int updates = server.requests("runs/update");

    backend.close(RunStatus.FINISHED);

    assertThat(server.requests("runs/update")).isEqualTo(updates);
    assertThat(stored(backend).status).isEqualTo("KILLED");
  }

  private String existingRun() throws Exception {
    RunInfo other = TestRecords.run("exp", "earlier");
    MlflowBackend earlier = Fixtures.backend(Fixtures.config(server.uri()), other);
    earlier.open();
    earlier.close(RunStatus.FAILED);
    return earlier.runId();
  }
}
