package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store copy} moves an embedded store into a MongoDB server over TCP, idempotently and resumably. */
class StoreCopyCommandTest {

  @TempDir Path tmp;
  private TestMongo target;

  @AfterEach
  void stop() {
    if (target != null) {
      target.close();
    }
    EmbeddedMongo.stop(tmp.resolve("mongo"), Duration.ofSeconds(30));
  }

  @Test
  void copyMovesEveryStepAndRunOnceAndAnInterruptedCopyGoesOnWhereItStopped() throws Exception {
    Path store = tmp.resolve("mongo");
    try (LoggedRuns logged = new LoggedRuns("embedded:" + store, tmp)) {
      for (String id : List.of("run-a", "run-b")) {
        var d = logged.dispatcher(LoggedRuns.run("copied", id, id, 8), new MutableClock(LoggedRuns.T0));
        for (long s = 1; s <= 30; s++) {
          d.step(s).scalar("loss", 1.0 / s).log();
        }
        d.close(RunStatus.FINISHED);
      }
    }
    target = new TestMongo();
    String uri = target.uri;
    List<String> from = List.of("--store", "embedded:" + store);

    Cli.Result first = new Cli(Clock.systemUTC(), from).run("store", "copy", "--to", uri);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("[##########          ] 1/2 run-a: 30 step(s), 30 copied\n",
        "[####################] 2/2 run-b: 30 step(s), 30 copied\n",
        "copied 60 step document(s) and 2 runs entries; point the YAML's uri at " + uri + "\n");
    MongoDatabase db = target.db();
    assertThat(db.getCollection("experiments").countDocuments()).isEqualTo(60);
    assertThat(db.getCollection("runs").find(new Document("_id", "run-b/0")).first().getString("status"))
        .isEqualTo("finished");
    // an interrupted copy: part of run-b never arrived
    db.getCollection("experiments").deleteMany(new Document("run", "run-b").append("step", new Document("$gt", 20L)));

    Cli.Result again = new Cli(Clock.systemUTC(), from).run("store", "copy", "--to", uri);
    assertThat(again.out()).contains("1/2 run-a: 30 step(s), already there\n", "2/2 run-b: 30 step(s), 10 copied\n",
        "copied 10 step document(s)");
    assertThat(db.getCollection("experiments").countDocuments()).isEqualTo(60);
  }
}
