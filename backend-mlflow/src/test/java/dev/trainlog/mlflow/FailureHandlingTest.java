package dev.trainlog.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outages are retried without duplicates; refusals are permanent and name the records and the reason. */
class FailureHandlingTest extends ServerTestBase {

  /** What the core's channel does: write, and on a retryable failure write the failed records again. */
  private static int writeLikeTheCore(MlflowBackend backend, List<LogRecord> batch) throws Exception {
    List<LogRecord> pending = batch;
    for (int attempt = 1; ; attempt++) {
      try {
        backend.write(pending);
        return attempt;
      } catch (BackendException e) {
        assertThat(backend.isRetryable(e)).as(e.getMessage()).isTrue();
        assertThat(attempt).as("still failing after %d attempts: %s", attempt, e.getMessage()).isLessThan(50);
        pending = e.failedRecords().isEmpty() ? pending : e.failedRecords();
      }
    }
  }

  @Test
  void aServerAnswering503And429ThenRecoveringEndsWithEveryMetricStoredOnce() throws Exception {
    MlflowBackend backend = open();
    List<LogRecord> batch = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      batch.add(wide(run(), step, 50));
    }
    server.failNext(503, 4, null);
    server.failNext(429, 4, "1");
    // the first request is stored but its answer is lost: the retry must not duplicate it
    server.storeThenFailNext(1);

    int attempts = writeLikeTheCore(backend, batch);

    RulesStore.Run run = stored(backend);
    assertThat(attempts).isGreaterThan(1);
    // a client stamping points at send time would store every retried point a second time
    assertThat(run.points).hasSize(3000)
        .allSatisfy(p -> assertThat(p.timestamp()).isEqualTo(TestRecords.START_MILLIS + p.step() * 1000));
  }

  @Test
  void inRequestRetriesHonourRetryAfter() throws Exception {
    MlflowBackend backend = open();
    server.failNext(429, 2, "7");

    backend.write(TestRecords.scalarSteps(run(), 0, 3));

    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
    assertThat(stored(backend).points).hasSize(6);
  }

  @Test
  void withoutRetryAfterTheBackoffDoublesFromTheInitialWait() throws Exception {
    MlflowBackend backend = open();
    server.failNext(503, 2, null);

    backend.write(TestRecords.scalarSteps(run(), 0, 3));

    assertThat(sleeper.waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
  }

  @Test
  void anUnreachableServerIsARetryableFailure() throws Exception {
    MlflowBackend backend = open();
    server.close();

    BackendException e = catchThrowableOfType(BackendException.class,
        () -> backend.write(TestRecords.scalarSteps(run(), 0, 3)));

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).startsWith("MLflow runs/log-batch at " + server.uri() + " failed: java.net.ConnectException");
    assertThat(sleeper.waits).hasSize(2);
    assertThat(catchThrowableOfType(BackendException.class, () -> backend.close(RunStatus.FAILED)))
        .hasMessageStartingWith("could not mark MLflow run " + backend.runId() + " FAILED: MLflow runs/update at");
  }

  @Test
  void invalidParameterValueIsPermanentNamesOnlyTheRefusedRecordsAndKeepsTheServerMessage() throws Exception {
    MlflowBackend backend = open();
    LogRecord good1 = wide(run(), 0, 1000);
    LogRecord bad = new LogRecord(run(), 1, 1, -5, wide(run(), 1, 1000).metrics(), false);
    LogRecord good2 = wide(run(), 2, 1000);

    BackendException e = catchThrowableOfType(BackendException.class, () -> backend.write(List.of(good1, bad, good2)));

    assertThat(e.retryable()).isFalse();
    assertThat(backend.isRetryable(e)).isFalse();
    assertThat(e.failedRecords()).containsExactly(bad);
    assertThat(e.getMessage()).isEqualTo("MLflow permanently refused 1 of 3 records: MLflow runs/log-batch at "
        + server.uri() + " failed with HTTP 400 INVALID_PARAMETER_VALUE: Invalid value -5 for parameter"
        + " 'metrics[0].timestamp' supplied: metric 'm0' (value=1.0). Timestamp must be a nonnegative long"
        + " (64-bit integer) ");
    assertThat(stored(backend).points).hasSize(2000);
  }

  @Test
  void aStoredNanPointRefusedOnRetryCountsAsStoredAndTheRestOfTheRequestIsKept() throws Exception {
    MlflowBackend backend = open();
    List<LogRecord> first = List.of(record(run(), 0, "loss", Double.NaN, "lr", 1.0));
    backend.write(first);
    int before = server.requests("runs/log-batch");

    // the core retries the first record together with a new one
    backend.write(List.of(first.get(0), record(run(), 1, "loss", Double.NaN, "lr", 2.0)));

    RulesStore.Run run = stored(backend);
    assertThat(run.points).extracting(p -> p.key() + "@" + p.step() + (p.nan() ? "=NaN" : "=" + p.value()))
        .containsExactly("loss@0=NaN", "lr@0=1.0", "lr@1=2.0", "loss@1=NaN");
    // refused whole, then the finite points together and each NaN point alone
    assertThat(server.requests("runs/log-batch") - before).isEqualTo(4);
  }

  @Test
  void aNanBatchWhoseAnswerWasLostIsStoredOnceAfterTheInRequestRetry() throws Exception {
    MlflowBackend backend = open();
    server.storeThenFailNext(1);

    backend.write(List.of(record(run(), 0, "loss", Double.NaN), record(run(), 1, "loss", 0.5)));

    assertThat(stored(backend).points).hasSize(2);
  }
}
