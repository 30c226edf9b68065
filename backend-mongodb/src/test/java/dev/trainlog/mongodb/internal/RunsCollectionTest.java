package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The runs collection answers which experiments exist and how they ended. */
class RunsCollectionTest extends RunsDocumentTestBase {

  private static final String SECRET = "hunter2-s3cret";


  @Test
  void aRunIsRunningWhileOpenAndFinishedWithItsEndTimeAfterClose() throws Exception {
    RunInfo run = TestRecords.run("sd-lora", "rank64").toBuilder().tag("api_token", SECRET)
        .config(Map.of("model", "SDXL", "db_password", SECRET, "data.path", "/d")).build();
    LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run, dir, clock);
    backend.open();

    Document doc = runs.find().first();
    assertThat(doc.get("_id")).isEqualTo("sd-lora-rank64-id/0");
    assertThat(doc.getString("status")).isEqualTo("running");
    assertThat(doc.getString("exp_name")).isEqualTo("sd-lora");
    assertThat(doc.getString("run")).isEqualTo("sd-lora-rank64-id");
    assertThat(doc.getString("run_name")).isEqualTo("rank64");
    assertThat(doc.get("rank")).isEqualTo(0);
    assertThat(doc.get("world_size")).isEqualTo(1);
    assertThat(doc.getString("node")).isEqualTo("node-0");
    assertThat(doc.getString("host")).isNotBlank();
    assertThat(doc.get("tags", Document.class)).isEqualTo(new Document("team", "vision").append("api_token", "****"));
    assertThat(doc.get("config", Document.class))
        .isEqualTo(new Document(Map.of("model", "SDXL", "db_password", "****", "data%2Epath", "/d")));
    assertThat(doc.get("start_time")).isEqualTo(Date.from(T0));
    assertThat(doc.get("heartbeat")).isEqualTo(Date.from(T0));
    assertThat(doc).containsEntry("last_step", null).doesNotContainKey("end_time");

    backend.write(TestRecords.scalarSteps(run, 0, 8));
    clock.advance(Duration.ofSeconds(3));
    backend.flush();
    assertThat(runs.find().first().get("heartbeat")).as("not due before heartbeat-interval").isEqualTo(Date.from(T0));
    clock.advance(Duration.ofSeconds(7));
    backend.flush();
    assertThat(runs.find().first()).containsEntry("heartbeat", Date.from(T0.plusSeconds(10)))
        .containsEntry("last_step", 7L);
    MongoCollection<Document> records = client.getDatabase("ai_training_logs").getCollection("experiments");
    assertThat(records.countDocuments()).isEqualTo(8);
    assertThat(records.find().first().get("config", Document.class)).containsEntry("db_password", "****");
    assertThat(records.find()).allSatisfy(record -> assertThat(record.toJson()).doesNotContain(SECRET));

    clock.advance(Duration.ofSeconds(5));
    backend.close(RunStatus.FINISHED);
    backend.close(RunStatus.FAILED);

    assertThat(runs.find().first()).containsEntry("status", "finished")
        .containsEntry("end_time", Date.from(T0.plusSeconds(15)))
        .containsEntry("last_step", 7L);
    assertThat(runs.find().first().toJson()).doesNotContain(SECRET);
  }

  @Test
  void aFailedRunIsMarkedFailedAndAResumedRunIsRunningAgain() throws Exception {
    RunInfo run = TestRecords.run("sd-lora", "rank64");
    LogBackend first = Fixtures.backend(Fixtures.config(server.uri()), run, dir, clock);
    first.open();
    first.write(TestRecords.scalarSteps(run, 0, 3));
    first.close(RunStatus.FAILED);
    assertThat(runs.find().first()).containsEntry("status", "failed").containsEntry("last_step", 2L);

    // the same run id started again a minute later: a RunInfo with a later start of its own
    RunInfo again = run.toBuilder().startTimeMillis(run.startTimeMillis() + 60_000).build();
    LogBackend resumed = Fixtures.backend(Fixtures.config(server.uri()), again, dir, clock);
    resumed.open();
    assertThat(runs.find().first()).containsEntry("status", "running").containsEntry("last_step", 2L)
        .containsEntry("start_time", new Date(run.startTimeMillis())).doesNotContainKey("end_time");
    resumed.close(RunStatus.KILLED);
    assertThat(runs.countDocuments()).isEqualTo(1);
    assertThat(runs.find().first()).containsEntry("status", "killed");
  }
}
