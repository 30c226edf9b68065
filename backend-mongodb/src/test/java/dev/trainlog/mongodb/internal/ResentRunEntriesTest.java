package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A resend ({@code TRAINLOG_RESEND=true}) updates the entry of each record's run: an ended run keeps how it
 * ended, one still running stays running, and one that never reached the store is made with status unknown
 * rather than running (which read as STALE for ever).
 */
class ResentRunEntriesTest extends RunsDocumentTestBase {

  @Test
  void aRunThatNeverReachedTheStoreIsMadeUnknownAndEndedRunsKeepTheirStatus() throws Exception {
    RunInfo never = TestRecords.run("sd-lora", "never-stored");
    RunInfo finished = TestRecords.run("sd-lora", "finished");
    RunInfo running = TestRecords.run("sd-lora", "running");
    RunsDocument closed = new RunsDocument(runs, finished, clock, 10_000, Map.of());
    closed.start();
    new RunsDocument(runs, running, clock, 10_000, Map.of()).start();
    clock.advance(Duration.ofHours(1));
    closed.finish(RunStatus.FINISHED, 3L, new RunSummary());

    LogBackend resend = new MongoBackend("mongo", TestRecords.run("resender", "resend"),
        Fixtures.config(server.uri()), clock, n -> MongoBackendProvider.RESEND_VAR.equals(n) ? "true" : null);
    resend.open();
    List<dev.trainlog.api.LogRecord> batch = new ArrayList<>(TestRecords.scalarSteps(never, 5, 8));
    batch.addAll(TestRecords.scalarSteps(finished, 4, 6));
    batch.addAll(TestRecords.scalarSteps(running, 4, 6));
    resend.write(batch);
    resend.close(RunStatus.FINISHED);

    Document made = runs.find(new Document("_id", never.runId() + "/0")).first();
    assertThat(made.getString("status")).isEqualTo("unknown");
    assertThat(made.get("end_time")).as("its newest record's time").isEqualTo(new Date(TestRecords.START_MILLIS + 7000));
    assertThat(made.get("last_step")).isEqualTo(7L);
    assertThat(made.get("summary", Document.class).get("loss", Document.class)).containsEntry("count", 3L);

    Document kept = runs.find(new Document("_id", finished.runId() + "/0")).first();
    assertThat(kept.getString("status")).isEqualTo("finished");
    assertThat(kept.get("end_time")).isEqualTo(Date.from(T0.plus(Duration.ofHours(1))));
    assertThat(kept.get("last_step")).isEqualTo(5L);

    Document alive = runs.find(new Document("_id", running.runId() + "/0")).first();
    assertThat(alive.getString("status")).as("a resend cannot tell whether it still runs").isEqualTo("running");
    assertThat(alive).doesNotContainKey("end_time");
    assertThat(runs.countDocuments()).as("no entry of the resending process").isEqualTo(3);
  }
}
