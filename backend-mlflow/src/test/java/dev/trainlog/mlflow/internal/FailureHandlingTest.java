package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each call is one attempt: a failure tells the core whether to retry and how long the server asked
 * to wait. Retries by the core store nothing twice; refusals are permanent and name the records and
 * the reason.
 */
class FailureHandlingTest extends ServerTestBase {

  /** What the core does: write, and on a retryable failure write the failed records again. */
  private static List<BackendException> writeLikeTheCore(MlflowBackend backend, List<LogRecord> batch)
      throws Exception {
    List<BackendException> failures = new ArrayList<>();
    List<LogRecord> pending = batch;
    while (true) {
      try {
        backend.write(pending);
        return failures;
      } catch (BackendException e) {
        assertThat(backend.isRetryable(e)).as(e.getMessage()).isTrue();
        failures.add(e);
        assertThat(failures).as("still failing: %s", e.getMessage()).hasSizeLessThan(50);
        pending = e.failedRecords().isEmpty() ? pending : e.failedRecords();
      }
    }
  }

  private BackendException failedWrite(MlflowBackend backend, List<LogRecord> batch) {
    return catchThrowableOfType(BackendException.class, () -> backend.write(batch));
  }

  @Test
  void aWriteSendsOneRequestAndA503FailsItRetryablyWithTheWholeBatchUnsent() throws Exception {
    MlflowBackend backend = open();
    List<LogRecord> batch = TestRecords.scalarSteps(run(), 0, 3);
    int before = server.requests("runs/log-batch");
    server.failNext(503, 1, null);

    BackendException e = failedWrite(backend, batch);

    assertThat(server.requests("runs/log-batch") - before).isEqualTo(1);
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.failedRecords()).containsExactlyElementsOf(batch);
    assertThat(e.getMessage()).isEqualTo("MLflow runs/log-batch at " + server.uri() + " failed with HTTP 503");
    assertThat(stored(backend).points).isEmpty();
  }

  /** The backend's clock stands at {@link TestRecords#START_MILLIS}, 2026-01-01T00:00:00Z. */
  @ParameterizedTest(name = "{0} with Retry-After: {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
      429 | 7                             | PT7S
      503 | Thu, 01 Jan 2026 00:00:30 GMT | PT30S
      429 | 3600                          | PT1M
      503 | Wed, 31 Dec 2025 23:59:00 GMT | PT0S
      429 | soon                          | none
      500 | 5                             | none
      """)
  void theRetryAfterOfA429Or503IsPassedOnAsTheHintCappedAtAMinute(int status, String header, Duration hint)
      throws Exception {
    MlflowBackend backend = open();
    int before = server.requests("runs/log-batch");
    server.failNext(status, 1, header);

    BackendException e = failedWrite(backend, TestRecords.scalarSteps(run(), 0, 3));

    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Optional.ofNullable(hint));
    assertThat(server.requests("runs/log-batch") - before).isEqualTo(1);
  }

  @Test
  void anAnswerSlowerThanTheRequestTimeoutIsARetryableFailure() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.requestTimeout = Duration.ofMillis(200);
    MlflowBackend backend = open(config, run());
    CountDownLatch release = new CountDownLatch(1);
    server.holdNext(release);

    BackendException e;
    try {
      e = failedWrite(backend, TestRecords.scalarSteps(run(), 0, 3));
    } finally {
      release.countDown();
    }

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("MLflow runs/log-batch at " + server.uri()
        + " failed: java.net.http.HttpTimeoutException: request timed out");
  }

  @Test
  void anUnreachableServerIsARetryableFailureAfterOneAttempt() throws Exception {
    MlflowBackend backend = open();
    server.close();

    BackendException e = failedWrite(backend, TestRecords.scalarSteps(run(), 0, 3));

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).startsWith("MLflow runs/log-batch at " + server.uri() + " failed: java.net.ConnectException");
    BackendException onClose = catchThrowableOfType(BackendException.class, () -> backend.close(RunStatus.FAILED));
    assertThat(onClose).hasMessageStartingWith("could not mark MLflow run " + backend.runId()
        + " FAILED: MLflow runs/update at");
    assertThat(onClose.retryable()).isTrue();
  }

  @Test
  void aPageAnsweredWith200ThatIsNotJsonIsAPermanentErrorWithAHint() throws Exception {
    HttpServer portal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    portal.createContext("/", exchange -> {
      byte[] page = "<html><body>Sign in to continue</body></html>".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, page.length);
      try (exchange; OutputStream out = exchange.getResponseBody()) {
        out.write(page);
      }
    });
    portal.start();
    try {
      String uri = "http://127.0.0.1:" + portal.getAddress().getPort();
      MlflowBackend backend = Fixtures.backend(Fixtures.config(uri), run());

      BackendException e = catchThrowableOfType(BackendException.class, backend::open);

      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).isEqualTo("MLflow experiments/get-by-name at " + uri + " answered HTTP 200 with a"
          + " body that is not JSON (not an MLflow API answer: is tracking-uri the base URL of an MLflow tracking"
          + " server?)");
    } finally {
      portal.stop(0);
    }
  }

  @Test
  void aCloseThatFailedRetryablyCanBeCalledAgainAndThenSetsTheStatus() throws Exception {
    MlflowBackend backend = open();
    server.failNext(503, 1, "2");

    BackendException e = catchThrowableOfType(BackendException.class, () -> backend.close(RunStatus.KILLED));
    backend.close(RunStatus.KILLED);

    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(stored(backend).status).isEqualTo("KILLED");
    assertThat(server.requests("runs/update")).isEqualTo(2);
  }

  @Test
  void anOpenRetriedAfterItsParamsFailedLogsToTheRunItAlreadyCreated() throws Exception {
    MlflowBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run());
    // the params and tags are stored but the answer is lost
    server.storeThenFailNext(1);

    BackendException e = catchThrowableOfType(BackendException.class, backend::open);
    backend.open();

    assertThat(e.retryable()).isTrue();
    assertThat(server.requests("runs/create")).isEqualTo(1);
    assertThat(stored(backend).params).containsEntry("model", "SDXL");
    backend.close(RunStatus.FINISHED);
  }

  @Test
  void aServerAnswering503And429ThenRecoveringEndsWithEveryMetricStoredOnce() throws Exception {
    MlflowBackend backend = open();
    List<LogRecord> batch = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      batch.add(wide(run(), step, 50));
    }
    server.failNext(503, 2, null);
    server.failNext(429, 2, "1");
    // the first request is stored but its answer is lost: the retry must not duplicate it
    server.storeThenFailNext(1);

    List<BackendException> failures = writeLikeTheCore(backend, batch);

    RulesStore.Run run = stored(backend);
    assertThat(failures).extracting(f -> f.retryAfter().orElse(null))
        .containsExactly(null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), null);
    // a client stamping points at send time would store every retried point a second time
    assertThat(run.points).hasSize(3000)
        .allSatisfy(p -> assertThat(p.timestamp()).isEqualTo(TestRecords.START_MILLIS + p.step() * 1000));
  }

  @Test
  void invalidParameterValueIsPermanentNamesOnlyTheRefusedRecordsAndKeepsTheServerMessage() throws Exception {
    MlflowBackend backend = open();
    LogRecord good1 = wide(run(), 0, 1000);
    LogRecord bad = new LogRecord(run(), 1, 1, -5, wide(run(), 1, 1000).metrics(), false);
    LogRecord good2 = wide(run(), 2, 1000);

    BackendException e = failedWrite(backend, List.of(good1, bad, good2));

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
  void aNanBatchWhoseAnswerWasLostIsStoredOnceAfterTheCoresRetry() throws Exception {
    MlflowBackend backend = open();
    server.storeThenFailNext(1);

    List<BackendException> failures = writeLikeTheCore(backend,
        List.of(record(run(), 0, "loss", Double.NaN), record(run(), 1, "loss", 0.5)));

    assertThat(failures).hasSize(1);
    assertThat(stored(backend).points).hasSize(2);
  }
}
