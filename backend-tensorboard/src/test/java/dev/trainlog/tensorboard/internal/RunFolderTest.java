package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second run of one name gets a folder beside the first ({@code run-a-2}) so TensorBoard lists
 * both; a resume of the same run id keeps its folder. Read back with the test's own decoder.
 */
class RunFolderTest {

  @TempDir Path logDir;

  private static RunInfo run(String id) {
    return RunInfo.builder().experiment("exp").runName("run-a").runId(id).node("node-0")
        .startTimeMillis(TestRecords.START_MILLIS).build();
  }

  private TensorBoardBackend session(RunInfo run, long from, long to) throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, run);
    backend.open();
    backend.write(TestRecords.scalarSteps(run, from, to));
    backend.close(RunStatus.FINISHED);
    return backend;
  }

  private static List<Long> steps(Path dir) throws Exception {
    return Fixtures.recordEvents(dir).stream().map(TbEvent::step).toList();
  }

  private static String groupName(Path dir) throws Exception {
    return EventFiles.allEvents(dir).stream()
        .flatMap(e -> e.values().stream())
        .filter(v -> v.tag().equals(HParamsEncoder.SESSION_START_TAG))
        .map(v -> {
          try {
            return TbEvent.sessionStart(v.pluginContent()).groupName();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).findFirst().orElseThrow();
  }

  @Test
  void aSecondRunOfTheSameNameWritesBesideTheFirstAndEachKeepsItsOwnPoints() throws Exception {
    session(run("first"), 0, 10);

    TensorBoardBackend second = session(run("second"), 0, 4);
    TensorBoardBackend third = session(run("third"), 0, 2);

    Path base = logDir.resolve("exp/run-a");
    assertThat(second.runDirectory()).isEqualTo(logDir.resolve("exp/run-a-2"));
    assertThat(third.runDirectory()).isEqualTo(logDir.resolve("exp/run-a-3"));
    assertThat(steps(base)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(steps(second.runDirectory())).containsExactly(0L, 1L, 2L, 3L);
    assertThat(steps(third.runDirectory())).containsExactly(0L, 1L);
    assertThat(groupName(second.runDirectory())).as("the HParams row names the folder the Scalars tab lists")
        .isEqualTo("exp/run-a-2");
    assertThat(Files.readString(base.resolve(RunFolder.ID_FILE))).isEqualTo("first\n");
  }

  @Test
  void resumingTheSameRunIdKeepsItsFolderEvenAfterAnotherRunOfTheName() throws Exception {
    session(run("first"), 0, 10);
    session(run("second"), 0, 4);

    TensorBoardBackend resumed = session(run("first"), 10, 12);

    assertThat(resumed.runDirectory()).isEqualTo(logDir.resolve("exp/run-a"));
    assertThat(EventFiles.list(resumed.runDirectory())).hasSize(2);
    assertThat(steps(resumed.runDirectory())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    assertThat(steps(logDir.resolve("exp/run-a-2"))).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void aFolderHoldingAnotherToolsEventsIsNotWrittenInto() throws Exception {
    Path base = Files.createDirectories(logDir.resolve("exp/run-a"));
    Files.write(base.resolve("events.out.tfevents.1764950000.pytorch.1.0"), new byte[0]);

    TensorBoardBackend backend = session(run("mine"), 0, 3);

    assertThat(backend.runDirectory()).isEqualTo(logDir.resolve("exp/run-a-2"));
    assertThat(steps(backend.runDirectory())).containsExactly(0L, 1L, 2L);
    assertThat(EventFiles.list(base)).hasSize(1);
  }

  @Test
  void theRanksOfOneRunShareItsFolder() throws Exception {
    session(run("other"), 0, 1);
    RunInfo rank0 = TestRecords.run("exp", "run-a", 0, 2, "node-0");
    RunInfo rank1 = TestRecords.run("exp", "run-a", 1, 2, "node-1");

    TensorBoardBackend r0 = session(rank0, 0, 3);
    TensorBoardBackend r1 = session(rank1, 0, 3);

    assertThat(r0.runDirectory()).isEqualTo(logDir.resolve("exp/run-a-2"));
    assertThat(r1.runDirectory()).isEqualTo(logDir.resolve("exp/run-a-2/rank-1"));
    assertThat(groupName(r1.runDirectory())).isEqualTo("exp/run-a-2/rank-1");
  }
}
