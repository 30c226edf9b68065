package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Date;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A dispatcher that finds the journal of a killed run delivers it under that run: the killed run's entry in
 * {@code runs} gets its progress and is closed as killed, the new run's entry holds its own records only.
 */
class LeftoverJournalRunsTest extends RunsDocumentTestBase {

  private final RunInfo killed = TestRecords.run("sd-lora", "killed");
  private final RunInfo rerun = TestRecords.run("sd-lora", "rerun");

  @Test
  void recordsOfAKilledRunUpdateItsOwnEntryWhichIsClosedAsKilledAndTheNewRunKeepsItsOwn() throws Exception {
    // the killed process opened its backend (running, no step yet) and journaled 300 steps before SIGKILL
    new RunsDocument(runs, killed, clock, 10_000, Map.of()).start();
    leaveJournal(killed, 300);

    rerunWith100Steps();

    Document a = runs.find(new Document("_id", killed.runId() + "/0")).first();
    assertThat(a.getString("status")).isEqualTo("killed");
    assertThat(a.get("last_step")).isEqualTo(299L);
    assertThat(a.get("end_time")).as("its last record's time").isEqualTo(new Date(TestRecords.START_MILLIS + 2990));
    assertThat(a.get("summary", Document.class).get("loss", Document.class))
        .containsEntry("count", 300L).containsEntry("last", 1299.0).containsEntry("max", 1299.0);
    assertRerunHoldsItsOwnRecordsOnly();
  }

  @Test
  void aRunThatClosedItselfKeepsItsStatusAndEndTimeWhenTheRecordsItLeftArrive() throws Exception {
    // its close timed out with records unwritten: the entry says finished, the journal keeps the rest
    RunsDocument closed = new RunsDocument(runs, killed, clock, 10_000, Map.of());
    closed.start();
    clock.advance(Duration.ofMinutes(5));
    closed.finish(RunStatus.FINISHED, null, new RunSummary());
    leaveJournal(killed, 300);

    rerunWith100Steps();

    Document a = runs.find(new Document("_id", killed.runId() + "/0")).first();
    assertThat(a.getString("status")).isEqualTo("finished");
    assertThat(a.get("end_time")).isEqualTo(Date.from(T0.plus(Duration.ofMinutes(5))));
    assertThat(a.get("last_step")).isEqualTo(299L);
    assertThat(a.get("summary", Document.class).get("loss", Document.class)).containsEntry("count", 300L);
    assertRerunHoldsItsOwnRecordsOnly();
  }

  @Test
  void aKilledRunThatNeverReachedTheStoreIsMadeFromItsRecordsWithStatusUnknown() throws Exception {
    // the store was out of reach for the whole life of the killed process: it never wrote its entry
    leaveJournal(killed, 300);

    rerunWith100Steps();

    Document a = runs.find(new Document("_id", killed.runId() + "/0")).first();
    assertThat(a.getString("status")).as("killed, or closed with its records kept: not known").isEqualTo("unknown");
    assertThat(a.getString("exp_name")).isEqualTo("sd-lora");
    assertThat(a.get("end_time")).isEqualTo(new Date(TestRecords.START_MILLIS + 2990));
    assertThat(a.get("last_step")).isEqualTo(299L);
    assertRerunHoldsItsOwnRecordsOnly();
  }

  @Test
  void aRunClosedWhileTheStoreWasDownTakesTheStatusItsProcessGaveItWhenItsRecordsArrive() throws Exception {
    // the store was out of reach for the whole run; its process closed it finished, every record kept
    String unreachable;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      unreachable = "mongodb://127.0.0.1:" + free.getLocalPort();
    }
    LogDispatcher d = LogDispatcher.builder(killed)
        .backend("mongo", new MongoBackend("mongo", killed, Fixtures.config(unreachable), clock, n -> null),
            SampleSpec.always(), ChannelSettings.defaults())
        .clock(clock).journalDir(journals()).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 300; s++) {
      d.log(s, Map.of("loss", 1000.0 + s));
    }
    clock.advance(Duration.ofMinutes(5));
    assertThat(d.close(RunStatus.FINISHED, Duration.ofMillis(500))).isFalse();

    rerunWith100Steps();

    Document a = runs.find(new Document("_id", killed.runId() + "/0")).first();
    assertThat(a.getString("status")).as("as its process closed it").isEqualTo("finished");
    assertThat(a.get("end_time")).isEqualTo(Date.from(T0.plus(Duration.ofMinutes(5))));
    assertThat(a.get("last_step")).isEqualTo(299L);
    assertThat(a.get("summary", Document.class).get("loss", Document.class)).containsEntry("count", 300L);
    assertRerunHoldsItsOwnRecordsOnly();
  }

  /** What a process killed after journaling {@code steps} steps of {@code run} leaves in the journal directory. */
  private void leaveJournal(RunInfo run, int steps) throws Exception {
    Journal left = Journal.tryOpen(journals().resolve(run.runId() + "-rank0"), 1 << 16, 1 << 20);
    for (long s = 0; s < steps; s++) {
      left.append(run, s, -1, TestRecords.START_MILLIS + s * 10, false,
          MetricMap.builder(1).put("loss", 1000.0 + s).build());
    }
    left.close();
  }

  private void rerunWith100Steps() {
    LogDispatcher d = LogDispatcher.builder(rerun)
        .backend("mongo", new MongoBackend("mongo", rerun, Fixtures.config(server.uri()), clock, n -> null),
            SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(journals()).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 100; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(30))).isTrue();
  }

  private void assertRerunHoldsItsOwnRecordsOnly() {
    Document b = runs.find(new Document("_id", rerun.runId() + "/0")).first();
    assertThat(b.getString("status")).isEqualTo("finished");
    assertThat(b.get("last_step")).isEqualTo(99L);
    assertThat(b.get("summary", Document.class).get("loss", Document.class))
        .containsEntry("count", 100L).containsEntry("last", 0.01).containsEntry("max", 1.0);
    assertThat(client.getDatabase("ai_training_logs").getCollection("experiments")
        .countDocuments(new Document("run", killed.runId()))).isEqualTo(300);
  }

  private Path journals() {
    return dir.resolve("journal");
  }
}
