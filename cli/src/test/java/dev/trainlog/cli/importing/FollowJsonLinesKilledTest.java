package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.cli.TestMongo;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
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
 * A line without {@code wall_time} is timed when it is read. Killed after such a line was sent and before it saved
 * how far it had read, a follower started again reads the line again: it must be the same record, of the same id and
 * wall time, or MongoDB, which tells a replay from another record by its wall time, stores it twice ({@code
 * <_id>@<wall time>}). The kill is reproduced exactly: the state file is copied at the moment each line is handed to
 * the dispatcher, and the copy made at the last one is put back before the second follower starts.
 */
class FollowJsonLinesKilledTest {

  private static final Instant FIRST_START = Instant.parse("2026-12-07T12:00:00Z");

  @TempDir Path tmp;
  private TestMongo mongo;
  private Path metrics;
  private YamlDispatchers dispatchers;
  private RunInfo run;

  @BeforeEach
  void setUp() throws Exception {
    mongo = new TestMongo();
    metrics = tmp.resolve("metrics.jsonl");
    dispatchers = new YamlDispatchers(Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '"
        + mongo.uri + "'}\n"), Map.of());
    run = RunInfo.builder().experiment("jsonl").runName("metrics")
        .runId("jsonl-" + RunNaming.runId(metrics).substring(3)).node(RunInfo.localHostName()).build();
  }

  @AfterEach
  void tearDown() {
    mongo.close();
  }

  @Test
  void linesWithoutWallTimeReadAgainAfterAKillAreStoredOnceWithTheirFirstTime() throws Exception {
    Files.writeString(metrics, "{\"step\": 1, \"loss\": 0.3}\n"
        + "{\"step\": 2, \"loss\": 0.2, \"wall_time\": 1764950000.5}\n{\"step\": 3, \"loss\": 0.1}\n");
    MutableClock clock = new MutableClock(FIRST_START);
    followKilledAfterItsLastSend(clock);

    clock.advance(Duration.ofSeconds(5)); // the follower is started again
    Files.writeString(metrics, "{\"step\": 4, \"loss\": 0.05}\n", StandardOpenOption.APPEND);
    follow(clock, () -> {});

    long first = FIRST_START.toEpochMilli();
    assertThat(storedTimes()).as("wall times of each step's documents").containsExactlyEntriesOf(new TreeMap<>(Map.of(
        1L, List.of(first), 2L, List.of(1_764_950_000_500L), 3L, List.of(first), 4L, List.of(first + 5_000))));
  }

  @Test
  void aFollowerKilledAgainAfterReadingOnPastWhatItsPredecessorSentKeepsEachLinesFirstTime() throws Exception {
    Files.writeString(metrics, "{\"step\": 1, \"loss\": 0.3}\n{\"step\": 2, \"loss\": 0.2}\n");
    MutableClock clock = new MutableClock(FIRST_START);
    followKilledAfterItsLastSend(clock);
    clock.advance(Duration.ofSeconds(5));
    Files.writeString(metrics, "{\"step\": 3, \"loss\": 0.1}\n", StandardOpenOption.APPEND);
    followKilledAfterItsLastSend(clock); // steps 1 and 2 again at their first time, step 3 at its own

    clock.advance(Duration.ofSeconds(5));
    Files.writeString(metrics, "{\"step\": 4, \"loss\": 0.05}\n", StandardOpenOption.APPEND);
    follow(clock, () -> {});

    long first = FIRST_START.toEpochMilli();
    assertThat(storedTimes()).as("wall times of each step's documents").containsExactlyEntriesOf(new TreeMap<>(Map.of(
        1L, List.of(first), 2L, List.of(first), 3L, List.of(first + 5_000), 4L, List.of(first + 10_000))));
  }

  /** A follower killed right after it sent the last line it read, before it saved how far it had read. */
  private void followKilledAfterItsLastSend(MutableClock clock) throws Exception {
    Path stateAtSend = tmp.resolve("state-at-send.json");
    Files.deleteIfExists(stateAtSend);
    follow(clock, () -> copyState(stateAtSend));
    Path stateFile = state().file();
    if (Files.exists(stateAtSend)) {
      Files.copy(stateAtSend, stateFile, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(stateFile);
    }
  }

  /** The wall times of each step's documents in the run's collection. */
  private Map<Long, List<Long>> storedTimes() {
    Map<Long, List<Long>> times = new TreeMap<>();
    for (Document d : mongo.db().getCollection("experiments").find(Filters.eq("run", run.runId()))) {
      times.computeIfAbsent(d.getLong("step"), s -> new ArrayList<>()).add(d.getDate("timestamp").getTime());
    }
    return times;
  }

  /** One follower's life: a look that reads what the file holds, then its run closed, so that all of it is stored. */
  private void follow(MutableClock clock, Runnable atSend) throws Exception {
    LogDispatcher dispatcher = dispatchers.open(run, Clock.systemUTC());
    JsonLinesFollower follower = new JsonLinesFollower((step, wallTimeMillis, sequence, values) -> {
      dispatcher.logImported(step, wallTimeMillis, sequence, values);
      atSend.run();
    });
    try {
      new JsonLinesTail(metrics, follower, clock, state()).look(Duration.ofMinutes(10));
    } finally {
      dispatcher.close(RunStatus.KILLED); // delivers what the killed process's journal would hand to the next one
    }
  }

  private FollowState state() throws java.io.IOException {
    return FollowState.load(dispatchers.journalDir(), "jsonl", metrics);
  }

  private void copyState(Path to) {
    try {
      Path state = state().file();
      if (Files.exists(state)) {
        Files.copy(state, to, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.deleteIfExists(to);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
