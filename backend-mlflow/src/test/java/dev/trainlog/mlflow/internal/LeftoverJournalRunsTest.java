package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real server: a dispatcher that finds the journal of a killed run delivers it to that run's own MLflow
 * run, found by its {@code trainlog.run_id} tag (or made when the killed process never reached the server),
 * which a run still {@code RUNNING} ends {@code KILLED} at its newest record's time; the new run's MLflow run
 * holds its own records only.
 */
class LeftoverJournalRunsTest extends RealServerTestBase {

  @TempDir Path dir;

  /** Wall time of the killed run's newest record, step 299. */
  private static final long NEWEST_MILLIS = TestRecords.START_MILLIS + 299_000;

  private RunInfo killed() {
    return run("lora-r64").toBuilder().runId("killed-id").build();
  }

  private RunInfo rerun() {
    return run("lora-r64").toBuilder().runId("rerun-id").build();
  }

  @Test
  void recordsOfAKilledRunGoToItsOwnMlflowRunWhichEndsKilledAtItsNewestRecord() throws Exception {
    // the killed process logged steps 0-99 to its MLflow run and journaled 100-299 before SIGKILL
    MlflowBackend before = Fixtures.backend(config(), killed());
    before.open();
    before.write(steps(killed(), 0, 100));
    leaveJournal(killed(), 100, 300);

    MlflowBackend after = rerunWith100Steps();

    JsonNode info = runsGet(before.runId()).path("info");
    assertThat(info.path("status").asText()).isEqualTo("KILLED");
    assertThat(info.path("end_time").asLong()).isEqualTo(NEWEST_MILLIS);
    assertKilledRunHoldsItsSteps(before.runId());
    assertRerunHoldsItsOwnRecordsOnly(after.runId());
    assertThat(runsOfExperiment()).containsExactlyInAnyOrder(before.runId(), after.runId());
  }

  @Test
  void aRunThatClosedItselfKeepsItsStatusAndEndsNoEarlierThanItsNewestRecord() throws Exception {
    // its close timed out with records unwritten: the run says FINISHED, the journal keeps the rest
    MlflowBackend before = Fixtures.backend(config(), killed());
    before.open();
    before.write(steps(killed(), 0, 100));
    before.close(RunStatus.FINISHED);
    leaveJournal(killed(), 100, 300);

    MlflowBackend after = rerunWith100Steps();

    JsonNode info = runsGet(before.runId()).path("info");
    assertThat(info.path("status").asText()).isEqualTo("FINISHED");
    assertThat(info.path("end_time").asLong()).isEqualTo(NEWEST_MILLIS);
    assertKilledRunHoldsItsSteps(before.runId());
    assertRerunHoldsItsOwnRecordsOnly(after.runId());
  }

  @Test
  void aRunItsProcessClosedWhileTheServerWasDownEndsWithThatStatusNotKilled() throws Exception {
    // the server was unreachable for the whole run: its process closed it FINISHED, every record left in its journal
    MlflowConfig unreachable = config();
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      unreachable.trackingUri = "http://127.0.0.1:" + free.getLocalPort();
    }
    dev.trainlog.testkit.MutableClock clock =
        new dev.trainlog.testkit.MutableClock(java.time.Instant.ofEpochMilli(TestRecords.START_MILLIS));
    LogDispatcher d = LogDispatcher.builder(killed())
        .backend("mlflow", backend(unreachable, killed(), Map.of()), SampleSpec.always(), ChannelSettings.defaults())
        .clock(clock).journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 300; s++) {
      d.log(s, Map.of("loss", 1000.0 + s));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofMillis(500))).isFalse(); // ends at START + 300 s

    MlflowBackend after = rerunWith100Steps();

    String made = runsOfExperiment().stream().filter(id -> !id.equals(after.runId())).findFirst().orElseThrow();
    JsonNode info = runsGet(made).path("info");
    assertThat(info.path("status").asText()).isEqualTo("FINISHED");
    assertThat(info.path("end_time").asLong()).isEqualTo(TestRecords.START_MILLIS + 300_000);
    assertKilledRunHoldsItsSteps(made);
    assertRerunHoldsItsOwnRecordsOnly(after.runId());
  }

  @Test
  void aKilledRunThatNeverReachedTheServerGetsAnMlflowRunMadeFromItsRecords() throws Exception {
    leaveJournal(killed(), 0, 300);

    MlflowBackend after = rerunWith100Steps();

    List<String> runs = runsOfExperiment();
    assertThat(runs).hasSize(2).contains(after.runId());
    String made = runs.stream().filter(id -> !id.equals(after.runId())).findFirst().orElseThrow();
    JsonNode run = runsGet(made);
    assertThat(run.path("info").path("run_name").asText()).isEqualTo("lora-r64");
    assertThat(run.path("info").path("status").asText()).isEqualTo("KILLED");
    assertThat(run.path("info").path("start_time").asLong()).isEqualTo(TestRecords.START_MILLIS);
    assertThat(run.path("info").path("end_time").asLong()).isEqualTo(NEWEST_MILLIS);
    assertThat(pairs(run, "tags")).containsEntry("trainlog.run_id", "killed-id").containsEntry("team", "vision");
    assertThat(pairs(run, "params")).containsEntry("model", "SDXL").containsEntry("lora_rank", "64");
    assertKilledRunHoldsItsSteps(made);
    assertRerunHoldsItsOwnRecordsOnly(after.runId());
  }

  @Test
  void aBatchHoldingRecordsOfTwoRunsPutsEachInItsOwnMlflowRun() throws Exception {
    MlflowBackend before = Fixtures.backend(config(), killed());
    before.open();
    MlflowBackend after = open(config(), rerun());
    List<LogRecord> batch = new ArrayList<>(steps(killed(), 0, 300));
    for (long s = 0; s < 100; s++) {
      batch.add(TestRecords.record(rerun(), s, Map.of("loss", 1.0 / (s + 1))));
    }

    after.write(batch);
    after.close(RunStatus.FINISHED);

    assertThat(runsGet(before.runId()).path("info").path("status").asText()).isEqualTo("KILLED");
    assertKilledRunHoldsItsSteps(before.runId());
    assertRerunHoldsItsOwnRecordsOnly(after.runId());
  }

  @Test
  void aResendMakesNoRunOfItsOwnAndLeavesARunningRunRunning() throws Exception {
    MlflowBackend before = Fixtures.backend(config(), killed());
    before.open();
    MlflowBackend resend = backend(config(), rerun(), Map.of("TRAINLOG_RESEND", "true"));
    resend.open();

    resend.write(steps(killed(), 0, 300));
    resend.close(RunStatus.FINISHED);

    assertThat(runsOfExperiment()).as("no run of the resending process").containsExactly(before.runId());
    assertThat(runsGet(before.runId()).path("info").path("status").asText())
        .as("a resend cannot tell whether it still runs elsewhere").isEqualTo("RUNNING");
    assertKilledRunHoldsItsSteps(before.runId());
  }

  @Test
  void aKilledRunResumedWithItsIdGoesOnInItsOneMlflowRunWithEveryStepOnce() throws Exception {
    // killed after logging steps 0-99 to its MLflow run and journaling 100-299
    MlflowBackend before = Fixtures.backend(config(), killed());
    before.open();
    before.write(steps(killed(), 0, 100));
    leaveJournal(killed(), 100, 300);

    // started again with the same run id: the journal is its own, continued; then steps 300-399
    MlflowBackend after = backend(config(), killed(), Map.of());
    LogDispatcher d = LogDispatcher.builder(killed())
        .backend("mlflow", after, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 300; s < 400; s++) {
      d.log(s, Map.of("loss", 1000.0 + s));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(60))).isTrue();

    assertThat(after.runId()).isEqualTo(before.runId());
    assertThat(runsOfExperiment()).containsExactly(before.runId());
    assertThat(runsGet(before.runId()).path("info").path("status").asText()).isEqualTo("FINISHED");
    assertThat(history(before.runId(), "loss")).extracting(Point::step, Point::value).containsExactlyElementsOf(
        LongStream.range(0, 400).mapToObj(s -> org.assertj.core.groups.Tuple.tuple(s, 1000.0 + s)).toList());
  }

  @Test
  void recordsOfAKilledRunThatResumedAnMlflowRunByItsIdGoToThatMlflowRun() throws Exception {
    // an earlier run made the MLflow run and logged steps 0-99; the killed one resumed it by its MLflow id
    RunInfo creator = run("lora-r64").toBuilder().runId("creator-id").build();
    MlflowBackend first = Fixtures.backend(config(), creator);
    first.open();
    first.write(steps(creator, 0, 100));
    first.close(RunStatus.KILLED);
    MlflowConfig byId = config();
    byId.runId = first.runId();
    MlflowBackend before = backend(byId, killed(), Map.of());
    before.open();
    before.write(steps(killed(), 100, 200));
    leaveJournal(killed(), 200, 300); // journaled, then SIGKILL

    MlflowBackend after = rerunWith100Steps();

    assertThat(before.runId()).isEqualTo(first.runId());
    assertThat(runsOfExperiment()).as("no MLflow run made for the killed run's records")
        .containsExactlyInAnyOrder(first.runId(), after.runId());
    JsonNode info = runsGet(first.runId()).path("info");
    assertThat(info.path("status").asText()).isEqualTo("KILLED");
    assertThat(info.path("end_time").asLong()).isEqualTo(NEWEST_MILLIS);
    assertThat(history(first.runId(), "loss")).extracting(Point::step, Point::value).containsExactlyElementsOf(
        LongStream.range(0, 300).mapToObj(s -> org.assertj.core.groups.Tuple.tuple(s, 1000.0 + s)).toList());
    assertRerunHoldsItsOwnRecordsOnly(after.runId());
  }

  @Test
  void aRunResumingTheSameMlflowRunByItsIdTakesTheKilledOnesRecordsAndEndsItFinished() throws Exception {
    MlflowBackend first = Fixtures.backend(config(), run("lora-r64").toBuilder().runId("creator-id").build());
    first.open();
    MlflowConfig byId = config();
    byId.runId = first.runId();
    MlflowBackend before = backend(byId, killed(), Map.of());
    before.open();
    leaveJournal(killed(), 0, 300); // journaled, then SIGKILL; started again with MLFLOW_RUN_ID as before

    MlflowBackend after = backend(byId, rerun(), Map.of());
    LogDispatcher d = LogDispatcher.builder(rerun())
        .backend("mlflow", after, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 300; s < 400; s++) {
      d.log(s, Map.of("loss", 1000.0 + s));
    }
    assertThat(d.flush(Duration.ofSeconds(60))).isTrue(); // the killed run's records are written by now
    String whileRunning = runsGet(first.runId()).path("info").path("status").asText();
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(60))).isTrue();

    assertThat(after.runId()).isEqualTo(first.runId());
    assertThat(runsOfExperiment()).containsExactly(first.runId());
    assertThat(whileRunning).as("not ended KILLED under the run that goes on in it").isEqualTo("RUNNING");
    assertThat(runsGet(first.runId()).path("info").path("status").asText()).isEqualTo("FINISHED");
    assertThat(history(first.runId(), "loss")).extracting(Point::step, Point::value).containsExactlyElementsOf(
        LongStream.range(0, 400).mapToObj(s -> org.assertj.core.groups.Tuple.tuple(s, 1000.0 + s)).toList());
  }

  private MlflowBackend rerunWith100Steps() {
    MlflowBackend backend = backend(config(), rerun(), Map.of());
    LogDispatcher d = LogDispatcher.builder(rerun())
        .backend("mlflow", backend, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 100; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(60))).isTrue();
    return backend;
  }

  private static void assertKilledRunHoldsItsSteps(String mlflowRunId) throws Exception {
    assertThat(history(mlflowRunId, "loss")).extracting(Point::step, Point::value).containsExactlyElementsOf(
        LongStream.range(0, 300).mapToObj(s -> org.assertj.core.groups.Tuple.tuple(s, 1000.0 + s)).toList());
  }

  private static void assertRerunHoldsItsOwnRecordsOnly(String mlflowRunId) throws Exception {
    assertThat(runsGet(mlflowRunId).path("info").path("status").asText()).isEqualTo("FINISHED");
    assertThat(history(mlflowRunId, "loss")).extracting(Point::step, Point::value).containsExactlyElementsOf(
        LongStream.range(0, 100).mapToObj(s -> org.assertj.core.groups.Tuple.tuple(s, 1.0 / (s + 1))).toList());
  }

  /** The MLflow run ids of this test's experiment. */
  private List<String> runsOfExperiment() throws Exception {
    String experimentId = reader.get("experiments/get-by-name", Map.of("experiment_name", experiment))
        .path("experiment").path("experiment_id").asText();
    JsonNode found = reader.json(RawPost.post(trackingUri, "runs/search",
        "{\"experiment_ids\":[\"" + experimentId + "\"],\"max_results\":100}"));
    List<String> ids = new ArrayList<>();
    found.path("runs").forEach(r -> ids.add(r.path("info").path("run_id").asText()));
    return ids;
  }

  /** What a process killed after journaling steps {@code from} to {@code to} of {@code run} leaves behind. */
  private void leaveJournal(RunInfo run, long from, long to) throws Exception {
    Journal left = Journal.tryOpen(dir.resolve("journal").resolve(run.runId() + "-rank0"), 1 << 16, 1 << 20);
    for (long s = from; s < to; s++) {
      left.append(run, s, -1, TestRecords.START_MILLIS + s * 1000, false,
          MetricMap.builder(1).put("loss", 1000.0 + s).build());
    }
    left.close();
  }

  private static List<LogRecord> steps(RunInfo run, long from, long to) {
    List<LogRecord> records = new ArrayList<>();
    for (long s = from; s < to; s++) {
      records.add(TestRecords.record(run, s, Map.of("loss", 1000.0 + s)));
    }
    return records;
  }
}
