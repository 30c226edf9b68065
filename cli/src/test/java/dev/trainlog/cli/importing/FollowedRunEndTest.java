package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import dev.trainlog.cli.TestMongo;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowedRunEndTest {

  @TempDir Path tmp;
  private TestMongo mongo;
  private TbFollower follower;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));
  private Path logs;

  @BeforeEach
  void setUp() throws Exception {
    mongo = new TestMongo();
    logs = Fixtures.copyLogs(tmp.resolve("logs"));
    Path yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: {every: 10, reduce: mean}, uri: '"
        + mongo.uri + "'}\n");
    YamlDispatchers dispatchers = new YamlDispatchers(yaml, Map.of());
    follower = new TbFollower(logs, new RunNaming(null), dispatchers, FollowState.load(tmp.resolve("state"), logs),
        Duration.ofMinutes(10), clock, RunEvents.NONE);
  }

  @AfterEach
  void tearDown() {
    follower.close();
    mongo.close();
  }

  @Test
  void aRunEndsAtItsHParamsSessionEndWithThatStatusAndTheOthersAfterTheIdleTime() throws Exception {
    follower.look();

    assertThat(status("tb/run")).isEqualTo("failed");                      // session end FAILURE
    Document tb = mongo.db().getCollection("runs").find(Filters.eq("run", RunNaming.runId(logs.resolve("tb/run"))))
        .first();
    assertThat(tb.get("config", Document.class)).containsEntry("model", "SDXL").containsEntry("use_ema", true);
    // add_hparams' session end (SUCCESS, written at once) does not end the run it belongs to
    assertThat(status("torch/run/1796475924.7265236")).as("not a run of its own").isNull();
    // an open run's entry is made by its backend's worker when it opens the backend, on its own thread
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status("torch/run")).isEqualTo("running"));

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    follower.look();
    assertThat(status("torch/run")).isEqualTo("running");

    clock.advance(Duration.ofMillis(1));
    follower.look();
    assertThat(status("torch/run")).isEqualTo("finished");
    assertThat(status("tbx/run/pair/train")).isEqualTo("finished");
  }

  @Test
  void aRunWrittenToAfterItEndedIsOpenedAgainAndItsNewStepsAreSent() throws Exception {
    follower.look();
    clock.advance(Duration.ofMinutes(10));
    follower.look();
    Path file = logs.resolve("gen/late/events.out.tfevents.1764950000.gpu.1.0");
    TbEventWriter w = new TbEventWriter(file);
    w.scalars(0, 1_764_950_000.0, Map.of("loss", 1.0));
    follower.look();
    clock.advance(Duration.ofMinutes(10));
    follower.look();
    assertThat(status("gen/late")).isEqualTo("finished");

    w.scalars(10, 1_764_950_010.0, Map.of("loss", 3.0));
    follower.look();
    follower.close();

    assertThat(mongo.db().getCollection("experiments").find(
        Filters.eq("run", RunNaming.runId(logs.resolve("gen/late")))).map(d -> d.getLong("step")).into(
        new java.util.ArrayList<>())).containsExactlyInAnyOrder(0L, 10L);
  }

  private String status(String run) {
    Document d = mongo.db().getCollection("runs").find(Filters.eq("run", RunNaming.runId(logs.resolve(run)))).first();
    return d == null ? null : d.getString("status");
  }

}
