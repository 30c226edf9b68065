package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store rollups}: rebuilds the rollups of the runs stored without them, as the backend wrote them. */
class StoreRollupsCommandTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path tmp;
  private TestMongo server;
  private MongoCollection<Document> rollups;
  private Cli cli;

  @BeforeEach
  void start() {
    server = new TestMongo();
    String uri = server.uri;
    LoggedRuns logged = new LoggedRuns(uri, tmp);
    for (String id : List.of("a", "b", "c")) {
      RunInfo run = RunInfo.builder().experiment("sd").runName(id).runId(id).node("node-0")
          .startTimeMillis(NOW.toEpochMilli()).build();
      MutableClock clock = new MutableClock(NOW);
      LogDispatcher d = logged.dispatcher(run, clock);
      for (long s = 0; s < 250; s++) {
        clock.advance(Duration.ofSeconds(1));
        d.step(s).scalar("loss", s == 77 ? Double.NaN : 1.0 / (s + 1)).scalar("lr", 1e-4).log();
      }
      d.close(RunStatus.FINISHED);
    }
    rollups = server.db().getCollection(StoreSchema.seriesCollection(
        StoreSchema.DEFAULT_STEPS));
    cli = new Cli(Clock.fixed(NOW, ZoneOffset.UTC), List.of("--store", uri));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<Document> allRollups() {
    return rollups.find().into(new ArrayList<>()).stream()
        .sorted(Comparator.comparing(d -> d.get("_id", Document.class).toJson())).toList();
  }

  @Test
  void theRunsWithoutRollupsGetTheRollupsTheBackendWouldHaveWrittenAndASecondPassHasNothingToDo() {
    List<Document> written = allRollups();
    rollups.deleteMany(new Document(StoreSchema.RUN, new Document("$in", List.of("a", "c"))));

    Cli.Result r = cli.run("store", "rollups");

    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("rebuilding the series rollups of 2 of 3 run(s) of ",
        "a: 250 step(s), 500 point(s), 6 bucket(s)\n", "c: 250 step(s), 500 point(s), 6 bucket(s)\n",
        "rebuilt 2 run(s): 12 bucket(s) from 500 step document(s)\n");
    assertThat(r.out()).doesNotContain("b: ");
    assertThat(allRollups()).isEqualTo(written);
    Cli.Result again = cli.run("store", "rollups");
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).endsWith("has series rollups (3 run(s)); nothing to do\n");
  }

  @Test
  void aNamedRunIsRebuiltEvenWithRollupsAndAnUnknownOneIsSaidSo() {
    List<Document> written = allRollups();
    rollups.updateOne(new Document(StoreSchema.RUN, "b"), new Document("$set", new Document(StoreSchema.SERIES_COUNT, 1L)));

    Cli.Result r = cli.run("store", "rollups", "--run", "b");
    Cli.Result missing = cli.run("store", "rollups", "--run", "nope");

    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).isEqualTo("b: 250 step(s), 500 point(s), 6 bucket(s)\n"
        + "rebuilt 1 run(s): 6 bucket(s) from 250 step document(s)\n");
    assertThat(allRollups()).isEqualTo(written);
    assertThat(missing.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(missing.err()).contains("run nope has no step documents in ");
  }
}
