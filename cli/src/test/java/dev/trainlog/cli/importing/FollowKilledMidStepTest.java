package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import dev.trainlog.api.RunInfo;
import dev.trainlog.cli.TestMongo;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower sends the step it is reading when a look reaches the end of the file, even if more of that step is to
 * come (PyTorch writes an event per {@code add_scalar}). Killed after that send and before it saved how far it had
 * read, a follower started again reads the step from its start: the rest of the step must still reach the stores,
 * which take a record id once. The kill is reproduced exactly: the state file is copied at the moment the step is
 * handed to the run's dispatcher (its first step opens it) and put back before the second follower starts.
 */
class FollowKilledMidStepTest {

  @TempDir Path tmp;
  private TestMongo mongo;
  private Path logs;
  private Path stateDir;
  private Path yaml;

  @BeforeEach
  void setUp() throws Exception {
    mongo = new TestMongo();
    logs = tmp.resolve("logs");
    stateDir = tmp.resolve("state");
    yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: " + tmp.resolve("out.jsonl") + "}\n"
        + "  mongo: {type: mongodb, uri: '" + mongo.uri + "'}\n");
  }

  @AfterEach
  void tearDown() {
    mongo.close();
  }

  @Test
  void theRestOfAStepSentHalfBeforeAKillReachesEveryStore() throws Exception {
    Path file = logs.resolve("run/events.out.tfevents.1764950000.gpu.1.0");
    TbEventWriter w = new TbEventWriter(file);
    w.scalars(5, 1_764_950_005.0, Map.of("loss", 1.5)); // the look ends here: step 5's lr is not written yet

    Path stateAtSend = tmp.resolve("state-at-send.json");
    TbFollower first = follower(new RunEvents() {
      @Override
      public void opened(RunInfo run, String why) {
        copyState(stateAtSend); // the first step is being sent: what a kill now leaves on disk
      }
    });
    first.look();
    first.close(); // delivers what the killed process's journal would hand to the next one

    // killed before the look's end saved the state: the state file is as it was when the step was sent
    Path stateFile = FollowState.load(stateDir, logs).file();
    if (Files.exists(stateAtSend)) {
      Files.copy(stateAtSend, stateFile, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(stateFile);
    }

    w.scalars(5, 1_764_950_005.0, Map.of("lr", 9e-4)); // the rest of step 5, written while the follower was down
    w.scalars(10, 1_764_950_010.0, Map.of("loss", 1.0));
    w.scalars(10, 1_764_950_010.0, Map.of("lr", 8e-4));
    TbFollower second = follower(RunEvents.NONE);
    second.look();
    second.close();

    Map<Long, Map<String, Double>> lines = new TreeMap<>();
    for (JsonNode line : Fixtures.jsonLines(tmp.resolve("out.jsonl"))) {
      Map<String, Double> step = lines.computeIfAbsent(line.get("step").asLong(), s -> new TreeMap<>());
      line.get("metrics").fields().forEachRemaining(e -> step.put(e.getKey(), e.getValue().asDouble()));
    }
    assertThat(lines).containsOnlyKeys(5L, 10L);
    assertThat(lines.get(5L)).as("JSON lines, step 5").containsOnlyKeys("loss", "lr");
    assertThat(lines.get(5L).get("lr")).isCloseTo(9e-4, org.assertj.core.data.Offset.offset(1e-9));

    Map<Long, List<String>> docs = new TreeMap<>();
    for (Document d : mongo.db().getCollection("experiments").find(Filters.eq("run", RunNaming.runId(
        logs.resolve("run"))))) {
      docs.computeIfAbsent(d.getLong("step"), s -> new ArrayList<>())
          .addAll(d.get("metrics", Document.class).keySet());
    }
    assertThat(docs.get(5L)).as("MongoDB, step 5").containsExactlyInAnyOrder("loss", "lr");
    assertThat(docs.get(10L)).containsExactlyInAnyOrder("loss", "lr");
  }

  private TbFollower follower(RunEvents events) throws Exception {
    return new TbFollower(logs, new RunNaming(null), new YamlDispatchers(yaml, Map.of()),
        FollowState.load(stateDir, logs), Duration.ofMinutes(10),
        new MutableClock(Instant.parse("2026-12-07T12:00:00Z")), events);
  }

  private void copyState(Path to) {
    try {
      Path state = FollowState.load(stateDir, logs).file();
      if (Files.exists(state)) {
        Files.copy(state, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
