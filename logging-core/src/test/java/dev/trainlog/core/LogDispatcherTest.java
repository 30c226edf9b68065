package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.pipeline.Gate;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.StepRegressionPolicy;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDispatcherTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");
  private final List<LogRecord> stored = Collections.synchronizedList(new ArrayList<>());
  private final LogBackend backend = batch -> stored.addAll(batch);

  private LogDispatcher dispatcher(StepRegressionPolicy policy) {
    return LogDispatcher.builder(run)
        .backend("mem", backend, Gate.ALWAYS, ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(10)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .clock(Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC))
        .onStepRegression(policy).shutdownHook(false)
        .build();
  }

  @Test
  void valuesAreNormalisedToTheRecordModelAndCopied() {
    double[] util = {78, 82};
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("loss", 0.5f);
    metrics.put("step_time_ms", 12);
    metrics.put("gpu_util", util);
    metrics.put("mem", List.of(1, 2L));
    metrics.put("caption", "a cat");
    metrics.put("eval", Map.of("acc", 1));
    metrics.put("bad", new Object());
    try (LogDispatcher d = dispatcher(StepRegressionPolicy.WARN)) {
      d.log(1, metrics);
      util[0] = -1; // the caller reuses its array
      d.flush(Duration.ofSeconds(10));
    }
    Map<String, Object> m = stored.get(0).metrics();
    assertThat(m.keySet()).containsExactly("loss", "step_time_ms", "gpu_util", "mem", "caption", "eval");
    assertThat(m.get("loss")).isEqualTo(0.5);
    assertThat(m.get("step_time_ms")).isEqualTo(12.0);
    assertThat((double[]) m.get("gpu_util")).containsExactly(78, 82);
    assertThat((double[]) m.get("mem")).containsExactly(1, 2);
    assertThat(m.get("eval")).isEqualTo(Map.of("acc", 1.0));
    assertThat(stored.get(0).timestampMillis()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());
  }

  @Test
  void theFluentFormBuildsTheSameRecordAndCanForce() {
    try (LogDispatcher d = dispatcher(StepRegressionPolicy.WARN)) {
      d.step(7).scalar("loss", 0.25).vector("gpu_util", new double[] {1, 2}).text("note", "hi").force().log();
      d.step(8).scalar("loss", 0.125).value("n", 3).log();
      d.flush(Duration.ofSeconds(10));
    }
    assertThat(stored.get(0).forced()).isTrue();
    assertThat(stored.get(0).metrics().get("loss")).isEqualTo(0.25);
    assertThat(stored.get(1).forced()).isFalse();
    assertThat(stored.get(1).metrics().get("n")).isEqualTo(3.0);
    assertThat(stored.get(1).sequence()).isEqualTo(1);
  }

  @Test
  void aFluentRecordIsTheDispatchersMetricMapAndItsBuilderLogsOnce() {
    try (LogDispatcher d = dispatcher(StepRegressionPolicy.WARN)) {
      StepBuilder b = d.step(3).scalar("loss", 0.5).scalar("lr", 1e-4);
      b.log();

      assertThatThrownBy(() -> b.scalar("loss", 9.0)).isInstanceOf(IllegalStateException.class)
          .hasMessage("this step(3) builder was logged already; start the next record with dispatcher.step(n)");
      assertThatThrownBy(b::log).isInstanceOf(IllegalStateException.class);
      d.log(4, Map.of("loss", 0.25));
      d.flush(Duration.ofSeconds(10));
    }
    assertThat(stored).hasSize(2);
    assertThat(stored.get(0).metrics()).isInstanceOf(MetricMap.class).containsExactly(
        Map.entry("loss", 0.5), Map.entry("lr", 1e-4));
    assertThat(stored.get(1).metrics()).isInstanceOf(MetricMap.class);
  }

  @Test
  void rejectRefusesStepsThatGoBackAndCountsThem() {
    try (LogDispatcher d = dispatcher(StepRegressionPolicy.REJECT)) {
      for (long s : new long[] {1, 2, 3, 2, 1, 4}) {
        d.log(s, Map.of("loss", 1.0));
      }
      d.flush(Duration.ofSeconds(10));
      assertThat(d.stats().rejectedSteps()).isEqualTo(2);
    }
    assertThat(stored.stream().map(LogRecord::step).collect(Collectors.toList())).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void importedStepsThatGoBackPassEvenUnderRejectAndStillRaiseTheStepOrder() {
    try (LogDispatcher d = dispatcher(StepRegressionPolicy.REJECT)) {
      d.logImported(5, 1_000, 0, Map.of("loss", 1.0));
      d.logImported(2, 1_000, 1, Map.of("loss", 1.0));
      d.log(3, Map.of("loss", 1.0));
      d.flush(Duration.ofSeconds(10));
      assertThat(d.stats().rejectedSteps()).isEqualTo(1);
    }
    assertThat(stored.stream().map(LogRecord::step).collect(Collectors.toList())).containsExactly(5L, 2L);
  }

  @Test
  void acceptAndWarnKeepStepsThatGoBackForAResume() {
    try (LogDispatcher d = dispatcher(StepRegressionPolicy.ACCEPT)) {
      for (long s : new long[] {1, 2, 3, 2, 3}) {
        d.log(s, Map.of("loss", 1.0));
      }
      d.flush(Duration.ofSeconds(10));
    }
    assertThat(stored.stream().map(LogRecord::step).collect(Collectors.toList())).containsExactly(1L, 2L, 3L, 2L, 3L);
  }

  @Test
  void logAfterCloseIsIgnoredAndCloseIsIdempotent() {
    LogDispatcher d = dispatcher(StepRegressionPolicy.WARN);
    d.log(1, Map.of("loss", 1.0));
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(10))).isTrue();
    d.log(2, Map.of("loss", 1.0));
    assertThat(d.close(RunStatus.FAILED, Duration.ofSeconds(10))).isTrue();
    assertThat(stored).extracting(LogRecord::step).containsExactly(1L);
  }

  @Test
  void aSecondDispatcherOfTheSameRunAndRankIsRefusedWithTheHoldersPid() {
    try (LogDispatcher first = dispatcher(StepRegressionPolicy.WARN)) {
      DispatcherBuilder second = LogDispatcher.builder(run)
          .backend("mem", backend, Gate.ALWAYS, ChannelSettings.defaults())
          .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false);

      assertThatThrownBy(second::build).isInstanceOf(IllegalStateException.class)
          .hasMessage("the TrainLog journal " + dir.resolve("journal").resolve(run.runId() + "-rank0")
              + " is in use by process " + ProcessHandle.current().pid() + ": a dispatcher of run " + run.runId()
              + " rank 0 is already running. Give this process its own run id (TRAINLOG_RUN_ID) or rank, or stop"
              + " the other");
      first.log(1, Map.of("loss", 1.0));
      assertThat(first.flush(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void logAfterCloseIsCountedAsRefused() {
    LogDispatcher d = dispatcher(StepRegressionPolicy.WARN);
    d.close(RunStatus.FINISHED, Duration.ofSeconds(10));
    d.log(2, Map.of("loss", 1.0));
    d.log(3, Map.of("loss", 1.0));
    assertThat(d.stats().refused()).isEqualTo(2);
    assertThat(d.stats().logged()).isZero();
  }

  @Test
  void theCloseTimeoutDefaultIsPinned() {
    assertThat(LogDispatcher.DEFAULT_CLOSE_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    assertThat(ChannelSettings.DEFAULT_WRITE_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    assertThat(ChannelSettings.DEFAULT_BATCH_SIZE).isEqualTo(512);
    assertThat(ChannelSettings.DEFAULT_FLUSH_INTERVAL).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aRunBuiltInCodeReachesTheBackendWithItsSecretsRedacted() {
    String secret = "hf_abc123";
    RunInfo withSecrets = run.toBuilder().tag("api_token", secret)
        .config(Map.of("hf_token", secret, "credentials", Map.of("user", "alice", "pass", secret), "lr", 0.1))
        .build();
    try (LogDispatcher d = LogDispatcher.builder(withSecrets)
        .backend("mem", backend, Gate.ALWAYS, ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(10)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      d.log(1, Map.of("loss", 0.5));
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(d.run().toString()).doesNotContain(secret);
    }
    RunInfo received = stored.get(0).run();
    assertThat(received.tags()).containsEntry("api_token", "****");
    assertThat(received.config()).containsEntry("hf_token", "****").containsEntry("credentials", "****")
        .containsEntry("lr", 0.1);
    assertThat(received.toString()).doesNotContain(secret);
  }
}
