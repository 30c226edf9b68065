package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.CapturedLog;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that wrote every record but whose {@code close(status)} is still stuck past the close timeout and its
 * grace: the journal is delivered, but the run's end status may never reach the store, so close answers false and
 * says so (before, it answered true), and keeps the journal with the end for the next dispatcher to tell.
 */
class StuckBackendCloseTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "stuck-close");

  @Test
  void aBackendWhoseCloseIsStuckPastTheGraceMakesCloseAnswerFalseAndIsNamed() {
    RecordingBackend stuck = new RecordingBackend();
    RecordingBackend fine = new RecordingBackend();
    stuck.closeGate = new CountDownLatch(1);
    ChannelSettings settings = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20));
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("stuck", stuck, SampleSpec.always(), settings)
        .backend("fine", fine, SampleSpec.always(), settings)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 10; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    assertThat(d.flush(Duration.ofSeconds(20))).isTrue();

    try (CapturedLog log = new CapturedLog()) {
      assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(3))).as("the end status may be missing").isFalse();
      Path journal = dir.resolve("journal").resolve(run.runId() + "-rank0");
      assertThat(log.text()).contains("TrainLog dispatcher for exp/stuck-close closed (FINISHED): the journal is"
          + " delivered, but stuck's close did not return within the close timeout and its grace (or failed), so the"
          + " run's end status (FINISHED) may not have been recorded in its store; the journal " + journal + " is kept"
          + " with that status, and a dispatcher started later with the same journal-dir records it there")
          .doesNotContain("fine's close");
    } finally {
      stuck.closeGate.countDown();
    }
    assertThat(stuck.steps()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(fine.closedWith).isEqualTo(RunStatus.FINISHED);
    Path journal = dir.resolve("journal").resolve(run.runId() + "-rank0");
    assertThat(journal).as("every record is written, but the run's end may be missing: kept for it").isDirectory();

    // the next dispatcher on the journal-dir, its backends up: each is told how the run ended, then it goes
    RecordingBackend stuckAgain = new RecordingBackend();
    RecordingBackend fineAgain = new RecordingBackend();
    try (LogDispatcher next = LogDispatcher.builder(TestRecords.run("exp", "next"))
        .backend("stuck", stuckAgain, SampleSpec.always(), settings)
        .backend("fine", fineAgain, SampleSpec.always(), settings)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      assertThat(next.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(stuckAgain.otherRunEnds).singleElement().asString().startsWith(run.runId() + "/0 FINISHED ");
    assertThat(stuckAgain.steps()).as("no record again").isEmpty();
    assertThat(journal).doesNotExist();
  }
}
