package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.pipeline.DeadLetters;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resend} of what a run's MongoDB backend could not write: the points land under the run's own id
 * and update that run's entry in {@code runs} (created from the records when the run never reached the
 * store, with status unknown), with its status as it was; the resending process adds no run of its own.
 */
class ResendIdentityTest {

  @TempDir Path tmp;

  @AfterEach
  void stopService() {
    EmbeddedMongo.stop(tmp.resolve("mongo"), Duration.ofSeconds(30));
  }

  @Test
  void resentPointsUpdateTheirOwnRunAndLeaveItsStatusAlone() throws Exception {
    Path store = tmp.resolve("mongo");
    RunInfo killed = LoggedRuns.run("rank64_exp", "interrupted", "interrupted-run", 64);
    try (LoggedRuns logged = new LoggedRuns("embedded:" + store, tmp)) {
      var d = logged.dispatcher(killed, new MutableClock(LoggedRuns.T0));
      for (long s = 1; s <= 3; s++) {
        d.step(s).scalar("loss", 1.0 / s).log();
      }
      d.close(RunStatus.KILLED);
    }
    RunInfo never = TestRecords.run("rank32_exp", "lost").toBuilder().runId("never-stored-run").build();
    Path dead = tmp.resolve("dead").resolve("mongo-rank0");
    try (DeadLetters letters = new DeadLetters(dead)) {
      letters.add(List.of(TestRecords.record(killed, 4, Map.of("loss", 0.2)),
          TestRecords.record(killed, 5, Map.of("loss", 0.1)),
          TestRecords.record(never, 7, Map.of("loss", 0.7))), "the store was locked", Instant.now());
    }
    Path yaml = Files.writeString(tmp.resolve("resend.yaml"), "run: {experiment: resender}\n"
        + "dispatcher: {journal-dir: " + tmp.resolve("journal") + ", dead-letter-dir: " + tmp.resolve("dead2")
        + ", shutdown-hook: false}\n"
        + "backends:\n  mongo: {type: mongodb, uri: 'embedded:" + store + "'}\n");

    Cli.Result r = new Cli(Clock.systemUTC(), List.of()).runExactly("resend", dead.toString(), "--config",
        yaml.toString(), "--backend", "mongo", "--timeout", "60s");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("resent 3 record(s) from " + dead + " to 'mongo'");
    try (MongoClient client = MongoClients.create(EmbeddedMongo.uriFor(store).orElseThrow())) {
      MongoDatabase db = client.getDatabase("ai_training_logs");
      List<Long> steps = new ArrayList<>();
      db.getCollection("experiments").find(new Document("run", "interrupted-run"))
          .forEach(doc -> steps.add(doc.getLong("step")));
      assertThat(steps).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);

      Document interrupted = db.getCollection("runs").find(new Document("_id", "interrupted-run/0")).first();
      assertThat(interrupted.getString("status")).as("the status is left as it was").isEqualTo("killed");
      assertThat(interrupted.get("last_step", Number.class).longValue()).isEqualTo(5);
      assertThat(interrupted.get("summary", Document.class).get("loss", Document.class).get("last", Number.class)
          .doubleValue()).isEqualTo(0.1);

      Document created = db.getCollection("runs").find(new Document("_id", "never-stored-run/0")).first();
      assertThat(created.getString("exp_name")).isEqualTo("rank32_exp");
      assertThat(created.get("last_step", Number.class).longValue()).isEqualTo(7);
      assertThat(created.getString("status")).as("how it ended is not known, and it is not running")
          .isEqualTo("unknown");
      assertThat(db.getCollection("runs").countDocuments()).as("no run of the resending process").isEqualTo(2);
    }
    Cli.Result shown = new Cli(Clock.systemUTC(), List.of("--store", "embedded:" + store)).run("show", "interrupted-run");
    assertThat(shown.code()).as(shown.err()).isZero();
    Cli.Result listed = new Cli(Clock.systemUTC(), List.of("--store", "embedded:" + store))
        .run("runs", "--status", "unknown");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("never-stored-run").contains("UNKNOWN").doesNotContain("interrupted-run");
  }
}
