package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run's life on the real server: creation with its params and tags, the final status, a restart
 * that continues the same run, retried batches, and the refusals the backend must not retry.
 */
class RealServerRunsTest extends RealServerTestBase {

  @Test
  void aMissingExperimentIsCreatedAndTheRunCarriesItsNameTagsAndParams() throws Exception {
    MlflowBackend first = open(config(), run("run-a"));
    MlflowBackend second = open(config(), run("run-b"));

    // the first lookup is answered 404 RESOURCE_DOES_NOT_EXIST, the second finds it
    assertThat(proxy.statuses("experiments/get-by-name")).containsExactly(404, 200);
    assertThat(proxy.requests("experiments/create")).isEqualTo(1);
    JsonNode run = runsGet(first.runId());
    assertThat(run.path("info").path("run_name").asText()).isEqualTo("run-a");
    assertThat(run.path("info").path("status").asText()).isEqualTo("RUNNING");
    assertThat(run.path("info").path("start_time").asLong()).isEqualTo(TestRecords.START_MILLIS);
    assertThat(run.path("info").path("experiment_id").asText())
        .isEqualTo(runsGet(second.runId()).path("info").path("experiment_id").asText());
    assertThat(pairs(run, "tags")).containsEntry("mlflow.runName", "run-a")
        .containsEntry("trainlog.run_id", experiment + "-run-a-id").containsEntry("team", "vision")
        .containsEntry("mlflow.source.type", "LOCAL");
    assertThat(pairs(run, "params")).containsOnly(Map.entry("model", "SDXL"), Map.entry("lora_rank", "64"),
        Map.entry("batch_size", "32"), Map.entry("optimizer.name", "adamw"), Map.entry("optimizer.lr", "1.0E-4"));
  }

  @ParameterizedTest
  @EnumSource(RunStatus.class)
  void closeSetsTheStatusAndEndTimeThatRunsGetShows(RunStatus status) throws Exception {
    RunInfo run = run("ends-" + status);
    MlflowBackend backend = open(config(), run);
    backend.write(TestRecords.scalarSteps(run, 0, 3));

    backend.close(status);

    JsonNode info = runsGet(backend.runId()).path("info");
    assertThat(info.path("status").asText()).isEqualTo(status.name());
    // the backend's clock stands at START_MILLIS in tests
    assertThat(info.path("end_time").asLong()).isEqualTo(TestRecords.START_MILLIS);
    assertThat(history(backend.runId(), "loss")).extracting(Point::step).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aSecondBackendWithTheRunIdContinuesTheRunAppendingWithoutDuplicates() throws Exception {
    RunInfo run = run("restarted");
    String id = endedRun(run, 5, RunStatus.KILLED);
    MlflowConfig resume = config();
    resume.runId = id;

    MlflowBackend after = open(resume, run);
    String statusWhileResumed = runsGet(after.runId()).path("info").path("status").asText();
    // a restart replays what the journal still held: steps 3 and 4 reach the server a second time
    after.write(TestRecords.scalarSteps(run, 3, 10));
    after.close(RunStatus.FINISHED);

    assertThat(after.runId()).isEqualTo(id);
    assertThat(proxy.requests("runs/create")).isEqualTo(1);
    assertThat(statusWhileResumed).isEqualTo("RUNNING");
    assertThat(history(after.runId(), "loss")).extracting(Point::step, Point::value)
        .containsExactlyElementsOf(LongStream.range(0, 10)
            .mapToObj(s -> tuple(s, TestRecords.loss(s))).toList());
    assertThat(history(after.runId(), "lr")).hasSize(10);
    JsonNode info = runsGet(after.runId()).path("info");
    assertThat(info.path("status").asText()).isEqualTo("FINISHED");
    assertThat(info.path("start_time").asLong()).isEqualTo(TestRecords.START_MILLIS);
  }

  @Test
  void mlflowRunIdFromTheEnvironmentContinuesTheRunToo() throws Exception {
    RunInfo run = run("env");
    String id = endedRun(run, 2, RunStatus.FAILED);

    MlflowBackend after = backend(config(), run, Map.of("MLFLOW_RUN_ID", id));
    after.open();
    after.write(TestRecords.scalarSteps(run, 2, 4));
    after.close(RunStatus.FINISHED);

    assertThat(after.runId()).isEqualTo(id);
    assertThat(history(after.runId(), "loss")).extracting(Point::step).containsExactly(0L, 1L, 2L, 3L);
    assertThat(runsGet(after.runId()).path("info").path("status").asText()).isEqualTo("FINISHED");
  }

  @Test
  void aRetriedIdenticalBatchIsStoredOnceNanPointsIncluded() throws Exception {
    RunInfo run = run("retried");
    MlflowBackend backend = open(config(), run);
    List<LogRecord> batch = new ArrayList<>(TestRecords.scalarSteps(run, 0, 5));
    batch.set(2, ServerTestBase.record(run, 2, "loss", Double.NaN, "lr", TestRecords.lr(2)));
    backend.write(batch);
    int sent = proxy.statuses("runs/log-batch").size();

    backend.write(batch);

    // SQLite refuses the whole request over the NaN point it has; then the finite points go again
    // together, and the NaN point alone is refused again: it is already stored
    assertThat(proxy.statuses("runs/log-batch").subList(sent, proxy.statuses("runs/log-batch").size()))
        .containsExactly(400, 200, 400);
    assertThat(history(backend.runId(), "loss")).extracting(Point::step).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(history(backend.runId(), "loss").get(2).value()).isNaN();
    assertThat(history(backend.runId(), "lr")).extracting(Point::step).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void aRefusedPointIsPermanentNamesOnlyItsRecordAndKeepsTheServersMessage() throws Exception {
    RunInfo run = run("refused");
    MlflowBackend backend = open(config(), run);
    LogRecord good1 = ServerTestBase.wide(run, 0, 1000);
    LogRecord bad = new LogRecord(run, 1, 1, -5, ServerTestBase.wide(run, 1, 1000).metrics(), false);
    LogRecord good2 = ServerTestBase.wide(run, 2, 1000);

    BackendException e = catchThrowableOfType(BackendException.class, () -> backend.write(List.of(good1, bad, good2)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.failedRecords()).containsExactly(bad);
    assertThat(e.getMessage()).isEqualTo("MLflow permanently refused 1 of 3 records: MLflow runs/log-batch at "
        + proxy.uri() + " failed with HTTP 400 INVALID_PARAMETER_VALUE: Invalid value -5 for parameter"
        + " 'metrics[0].timestamp' supplied: metric 'm0' (value=1.0). Timestamp must be a nonnegative long"
        + " (64-bit integer) ");
    assertThat(history(backend.runId(), "m0")).extracting(Point::step).containsExactly(0L, 2L);
  }

  @Test
  void resumingARunTheServerDoesNotKnowIsAPermanentFailure() throws Exception {
    MlflowConfig config = config();
    config.runId = "0123456789abcdef0123456789abcdef";
    MlflowBackend backend = backend(config, run("unknown"), Map.of());

    BackendException e = catchThrowableOfType(BackendException.class, backend::open);

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).isEqualTo("cannot resume MLflow run '0123456789abcdef0123456789abcdef' (run-id or"
        + " MLFLOW_RUN_ID): MLflow runs/get at " + proxy.uri() + " failed with HTTP 404 RESOURCE_DOES_NOT_EXIST:"
        + " Run with id=0123456789abcdef0123456789abcdef not found");
    assertThat(proxy.requests("runs/get")).isEqualTo(1);
  }

  /** A run that logged steps 0 to {@code steps - 1} and ended with {@code status}, as a first process leaves it. */
  @Test
  void aRunResumedWithItsTrainLogIdGoesOnInTheMlflowRunItsEarlierProcessMade() throws Exception {
    RunInfo run = run("resumed-by-id");
    MlflowBackend killed = open(config(), run); // killed: never closed, its MLflow run stays RUNNING
    killed.write(TestRecords.scalarSteps(run, 0, 5));
    RunInfo other = run("another");
    MlflowBackend another = open(config(), other);

    MlflowBackend after = open(config(), run);
    after.write(TestRecords.scalarSteps(run, 5, 8));
    after.close(RunStatus.FINISHED);

    assertThat(after.runId()).isEqualTo(killed.runId()).isNotEqualTo(another.runId());
    assertThat(proxy.requests("runs/create")).as("a new run id makes a run; the same one does not").isEqualTo(2);
    assertThat(runsGet(after.runId()).path("info").path("status").asText()).isEqualTo("FINISHED");
    assertThat(history(after.runId(), "loss")).extracting(Point::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }

  private String endedRun(RunInfo run, int steps, RunStatus status) throws Exception {
    MlflowBackend first = open(config(), run);
    first.write(TestRecords.scalarSteps(run, 0, steps));
    first.close(status);
    return first.runId();
  }
}
