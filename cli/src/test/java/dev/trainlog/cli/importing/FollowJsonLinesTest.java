package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.RunInfo;
import dev.trainlog.cli.TestMongo;
import dev.trainlog.cli.common.StopSignal;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowJsonLinesTest {

  @TempDir Path tmp;

  @Test
  void linesPipedToStandardInputAreLoggedAsStepsAndABadLineIsSkippedAndCounted() throws Exception {
    Path yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: '" + tmp + "/out.jsonl'}\n");
    PipedOutputStream script = new PipedOutputStream();
    InputStream stdin = System.in;
    try (PipedInputStream pipe = new PipedInputStream(script)) {
      System.setIn(pipe);
      // a script printing its metrics, one JSON object a line, then exiting
      CompletableFuture<Void> printer = CompletableFuture.runAsync(() -> {
        try (script) {
          for (int step = 0; step < 5; step++) {
            script.write(("{\"step\": " + step + ", \"loss\": " + (1.0 / (step + 1)) + ", \"eval\": {\"acc\": 0.5}}\n")
                .getBytes(StandardCharsets.UTF_8));
            script.flush();
          }
          script.write("epoch 1 done\n{\"step\": 5, \"loss\": \"NaN\"}\n".getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });

      Fixtures.Result r = Fixtures.run("follow", "--jsonl", "-", "--config", yaml.toString(), "--experiment", "demo");

      printer.get(10, TimeUnit.SECONDS);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("followed -: 6 steps sent, 1 lines skipped" + System.lineSeparator());
      // the first spelling, which scripts use, still works, and says what replaces it
      assertThat(r.err()).startsWith("trainlog: 'follow --jsonl FILE|-' is deprecated: use 'follow jsonl FILE|-'"
          + " (the same options)" + System.lineSeparator());
    } finally {
      System.setIn(stdin);
    }
    List<JsonNode> lines = Fixtures.jsonLines(tmp.resolve("out.jsonl"));
    assertThat(lines).extracting(l -> l.get("step").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(lines.get(1).get("metrics").get("loss").asDouble()).isEqualTo(0.5);
    assertThat(lines.get(1).get("metrics").get("eval").get("acc").asDouble()).isEqualTo(0.5);
    assertThat(lines.get(5).get("metrics").get("loss").asText()).isEqualTo("NaN");
    assertThat(lines.get(0).get("exp_name").asText()).isEqualTo("demo");
    assertThat(lines.get(0).get("run_name").asText()).isEqualTo("stdin");
  }

  @Test
  void pythonsNanAndInfinitiesUnquotedOrQuotedAreReadAsNonFiniteValuesAndNoStepIsSkipped() throws Exception {
    Path yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: '" + tmp + "/out.jsonl', sample: always}\n");
    Path metrics = tmp.resolve("metrics.jsonl");
    // what Python's json.dumps writes for float('nan'), float('inf') and -float('inf')
    Files.writeString(metrics, "{\"step\": 1, \"loss\": NaN, \"grad_norm\": Infinity}\n"
        + "{\"step\": 2, \"loss\": -Infinity, \"lr\": 0.1, \"per_layer\": [0.5, NaN, \"-Infinity\"]}\n"
        + "{\"step\": 3, \"loss\": \"NaN\", \"grad_norm\": \"Infinity\", \"lr\": \"-Infinity\"}\n");

    Fixtures.Result r = Fixtures.run("follow", "jsonl", metrics.toString(), "--config", yaml.toString(),
        "--idle", "0ms");

    assertThat(r.out()).isEqualTo("followed " + metrics + ": 3 steps sent" + System.lineSeparator());
    List<JsonNode> lines = Fixtures.jsonLines(tmp.resolve("out.jsonl"));
    assertThat(lines).extracting(l -> l.get("step").asLong()).containsExactly(1L, 2L, 3L);
    assertThat(lines).extracting(l -> l.get("metrics").get("loss").asText())
        .containsExactly("NaN", "-Infinity", "NaN");
    assertThat(lines.get(0).get("metrics").get("grad_norm").asText()).isEqualTo("Infinity");
    assertThat(lines.get(1).get("metrics").get("per_layer").toString()).isEqualTo("[0.5,\"NaN\",\"-Infinity\"]");
    assertThat(lines.get(2).get("metrics").get("grad_norm").asText()).isEqualTo("Infinity");
    assertThat(lines.get(2).get("metrics").get("lr").asText()).isEqualTo("-Infinity");
  }

  @Test
  void aFollowedFileEndsItsRunAtItsLastLinesWallTime() throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '" + mongo.uri + "'}\n");
      Path metrics = Files.writeString(tmp.resolve("metrics.jsonl"), "{\"step\": 1, \"loss\": 0.3, \"wall_time\":"
          + " 1764950000.5}\n{\"step\": 2, \"loss\": 0.2, \"wall_time\": 1764950008.25}\n");

      Fixtures.Result r = Fixtures.run("follow", "jsonl", metrics.toString(), "--config", yaml.toString(),
          "--idle", "0ms");

      assertThat(r.code()).as(r.err()).isZero();
      Document run = mongo.db().getCollection("runs").find().first();
      assertThat(run.getDate("end_time")).isEqualTo(new java.util.Date(1_764_950_008_250L));
    }
  }

  @Test
  void aGrowingFileIsFollowedUntilItIsIdleAndReadingItAgainAddsNothing() throws Exception {
    Path yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: '" + tmp + "/out.jsonl'}\n");
    Path metrics = tmp.resolve("metrics.jsonl");
    Files.writeString(metrics, "{\"step\": 1, \"loss\": 0.3}\n{\"step\": 2, \"loss\": 0.2}\n{\"step\": 3, \"lo");

    Fixtures.Result r = Fixtures.run("follow", "jsonl", metrics.toString(), "--config", yaml.toString(),
        "--idle", "0ms");
    Fixtures.Result again = Fixtures.run("follow", "jsonl", metrics.toString(), "--config", yaml.toString(),
        "--idle", "0ms");

    assertThat(r.out()).isEqualTo("followed " + metrics + ": 2 steps sent" + System.lineSeparator());
    assertThat(again.code()).isZero();
    List<JsonNode> lines = Fixtures.jsonLines(tmp.resolve("out.jsonl"));
    assertThat(lines).extracting(l -> l.get("step").asLong()).containsExactly(1L, 2L);
    assertThat(lines.get(0).get("run_name").asText()).isEqualTo("metrics");
  }

  @Test
  void aRestartedFollowerGoesOnAtTheSavedOffsetAndReadsTheLineItStoppedInWhole() throws Exception {
    Path yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, sample: always, path: '" + tmp + "/out.jsonl'}\n");
    Path metrics = tmp.resolve("metrics.jsonl");
    Files.writeString(metrics, "{\"step\": 1, \"loss\": 0.3}\n{\"step\": 2, \"loss\": 0.2}\n{\"step\": 3, \"lo");
    Fixtures.Result first = Fixtures.run("follow", "jsonl", metrics.toString(), "--config", yaml.toString(),
        "--idle", "0ms");
    Files.writeString(metrics, "ss\": 0.1}\n{\"step\": 4, \"loss\": 0.05}\n", StandardOpenOption.APPEND);

    Fixtures.Result second = Fixtures.run("follow", "jsonl", metrics.toString(), "--config", yaml.toString(),
        "--idle", "0ms");

    assertThat(first.out()).isEqualTo("followed " + metrics + ": 2 steps sent" + System.lineSeparator());
    assertThat(second.out()).isEqualTo("followed " + metrics + ": 2 steps sent" + System.lineSeparator());
    List<JsonNode> lines = Fixtures.jsonLines(tmp.resolve("out.jsonl"));
    assertThat(lines).extracting(l -> l.get("step").asLong()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(lines.get(2).get("metrics").get("loss").asDouble()).isEqualTo(0.1);
  }

  @Test
  void aFollowerThatFailsEndsItsRunKilledNotFinished() throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '" + mongo.uri + "'}\n");
      Path metrics = Files.writeString(tmp.resolve("metrics.jsonl"), "{\"step\": 1, \"loss\": 0.3, \"wall_time\":"
          + " 1764950000.5}\n");
      // the state cannot be saved after the first look, which sent the line: a directory stands where its temporary file goes
      Path state = FollowState.load(tmp.resolve("journal"), "jsonl", metrics).file();
      Files.createDirectories(state.resolveSibling(state.getFileName() + ".tmp").resolve("in-the-way"));

      Fixtures.Result r = Fixtures.run("follow", "jsonl", metrics.toString(), "--config", yaml.toString(),
          "--idle", "0ms");

      assertThat(r.code()).as(r.out()).isNotZero();
      Document run = mongo.db().getCollection("runs").find().first();
      assertThat(run.getString("status")).as("the follower failed; the trainer may not have").isEqualTo("killed");
      assertThat(mongo.db().getCollection("experiments").countDocuments()).isEqualTo(1);
    }
  }

  @Test
  void aStopClosesTheFollowedFilesRunAsKilledWithinTheStopTimeout() throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '" + mongo.uri + "'}\n");
      Path metrics = Files.writeString(tmp.resolve("metrics.jsonl"), "{\"step\": 1, \"loss\": 0.3}\n");
      StopSignal stop = new StopSignal();
      CompletableFuture<Fixtures.Result> follower = CompletableFuture.supplyAsync(() -> Fixtures.run(stop,
          "follow", "jsonl", metrics.toString(), "--config", yaml.toString(), "--poll", "50ms"));
      await().atMost(Duration.ofSeconds(20))
          .until(() -> mongo.db().getCollection("experiments").countDocuments() == 1);
      Files.writeString(metrics, "{\"step\": 2, \"loss\": 0.2}\n", StandardOpenOption.APPEND);
      await().atMost(Duration.ofSeconds(20))
          .until(() -> mongo.db().getCollection("experiments").countDocuments() == 2);

      stop.request();
      Fixtures.Result r = follower.get(30, TimeUnit.SECONDS);

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("followed " + metrics + ": 2 steps sent" + System.lineSeparator());
      Document run = mongo.db().getCollection("runs").find().first();
      assertThat(run.getString("status")).isEqualTo("killed");
      assertThat(run.get("provenance", Document.class).getString("host"))
          .isEqualTo(RunInfo.localHostName());
    }
  }

  @Test
  void followWithoutWhatToFollowSaysWhatItNeeds() {
    Fixtures.Result r = Fixtures.run("follow");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("trainlog: say what to follow: 'trainlog follow tensorboard DIR --config FILE.yaml'"
        + " or 'trainlog follow jsonl FILE|- --config FILE.yaml'" + System.lineSeparator());
  }
}
