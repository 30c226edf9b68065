package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The runs document carries a summary of every scalar metric, refreshed with the heartbeat and at close. */
class RunSummaryTest extends RunsDocumentTestBase {


  private final RunInfo run = TestRecords.run("sd-lora", "rank64");

  private LogRecord step(long step, double loss, Map<String, Object> extra) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("loss", loss);
    metrics.putAll(extra);
    return new LogRecord(run, step, step, TestRecords.START_MILLIS + step, metrics, false);
  }

  @Test
  void theHeartbeatStoresLastMinMaxCountStepsAndNaNsOfEveryScalar() throws Exception {
    LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run, dir, clock);
    backend.open();
    backend.write(List.of(
        step(10, 0.5, Map.of("eval", Map.of("clip.score", 0.2), "gpu_util", new double[] {80, 81})),
        step(20, Double.NaN, Map.of()),
        step(30, 0.25, Map.of("note", "text is not summarised"))));
    clock.advance(Duration.ofSeconds(10));
    backend.flush();

    Document summary = runs.find().first().get("summary", Document.class);
    assertThat(summary.keySet()).containsExactly("loss", "eval/clip%2Escore");
    assertThat(summary.get("loss", Document.class)).isEqualTo(new Document("path", "metrics.loss")
        .append("count", 3L).append("first_step", 10L).append("last_step", 30L).append("last", 0.25)
        .append("min", 0.25).append("max", 0.5).append("nan", 1L));
    assertThat(summary.get("eval/clip%2Escore", Document.class))
        .containsEntry("path", "metrics.eval.clip%2Escore").containsEntry("count", 1L).containsEntry("last", 0.2);

    backend.write(List.of(step(40, 0.125, Map.of())));
    backend.close(RunStatus.FINISHED);
    assertThat(runs.find().first().get("summary", Document.class).get("loss", Document.class))
        .containsEntry("count", 4L).containsEntry("last_step", 40L).containsEntry("last", 0.125)
        .containsEntry("min", 0.125);
    assertThat(runs.find().first()).containsEntry("heartbeat_interval_ms", 10_000L);
  }

  @Test
  void aReplayedBatchTheStoreAlreadyHoldsIsNotCountedTwice() throws Exception {
    LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run, dir, clock);
    backend.open();
    List<LogRecord> batch = List.of(step(1, 2.0, Map.of()), step(2, 1.0, Map.of()));
    backend.write(batch);
    backend.write(List.of(batch.get(1), step(3, 0.5, Map.of())));
    backend.close(RunStatus.FINISHED);

    assertThat(runs.find().first().get("summary", Document.class).get("loss", Document.class))
        .containsEntry("count", 3L).containsEntry("last", 0.5);
  }

  @Test
  void aResumedRunContinuesItsStoredSummary() throws Exception {
    LogBackend first = Fixtures.backend(Fixtures.config(server.uri()), run, dir, clock);
    first.open();
    first.write(List.of(step(1, 2.0, Map.of()), step(2, 1.0, Map.of())));
    first.close(RunStatus.FAILED);

    LogBackend resumed = Fixtures.backend(Fixtures.config(server.uri()), run, dir, clock);
    resumed.open();
    resumed.write(List.of(step(3, 1.5, Map.of())));
    resumed.close(RunStatus.FINISHED);

    assertThat(runs.find().first().get("summary", Document.class).get("loss", Document.class))
        .containsEntry("count", 3L).containsEntry("first_step", 1L).containsEntry("last", 1.5)
        .containsEntry("min", 1.0).containsEntry("max", 2.0).containsEntry("nan", 0L);
  }
}
