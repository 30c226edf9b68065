package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose process is killed (SIGKILL, in a child JVM) is ended KILLED in TensorBoard's HParams dashboard by
 * the process that delivers the journal it left; a resume of that run with its id takes that end back and ends
 * the run with its own status. Read back with the tests' own decoder and, where it is installed, the real
 * TensorBoard.
 */
class KilledRunSessionEndTest {

  private static final long STEPS = 300;
  private static final long WRITTEN_BEFORE_KILL = 120;

  @TempDir Path dir;

  private final RunInfo killed = TestRecords.run("sd-lora", "lora-r64").toBuilder().runId("killed-id").build();
  private final RunInfo other = TestRecords.run("sd-lora", "other").toBuilder().runId("other-id").build();

  @Test
  void theProcessThatDeliversAKilledRunsJournalEndsItsSessionKilledAtItsNewestRecord() throws Exception {
    killTrainerWithStepsLeftInItsJournal();

    runFor(other, 0, 10);

    Path killedDir = logDir().resolve("sd-lora/lora-r64");
    assertThat(Fixtures.recordEvents(killedDir)).extracting(TbEvent::step).as("every step of the killed run")
        .containsAll(LongStream.range(0, STEPS).boxed().toList());
    double newestRecord = Fixtures.recordEvents(killedDir).stream().mapToDouble(TbEvent::wallTime).max().orElseThrow();
    assertThat(EventFiles.sessionEnds(killedDir))
        .containsExactly(new TbEvent.SessionEnd(HParamsEncoder.STATUS_FAILURE, newestRecord));
    assertThat(EventFiles.sessionEnds(logDir().resolve("sd-lora/other")))
        .containsExactly(new TbEvent.SessionEnd(HParamsEncoder.STATUS_SUCCESS, Fixtures.NOW_MILLIS / 1000.0));
  }

  @Test
  void aRunResumedWithItsIdAfterItsKilledEndWasWrittenEndsWithItsOwnStatusOnly() throws Exception {
    killTrainerWithStepsLeftInItsJournal();
    runFor(other, 0, 10);

    runFor(killed, STEPS, STEPS + 10);

    Path killedDir = logDir().resolve("sd-lora/lora-r64");
    assertThat(EventFiles.sessionEnds(killedDir)).containsExactly(
        new TbEvent.SessionEnd(HParamsEncoder.STATUS_SUCCESS, Fixtures.NOW_MILLIS / 1000.0));
    assertThat(EventFiles.list(killedDir)).noneMatch(f -> f.getFileName().toString().endsWith(SessionEnds.KILLED_SUFFIX));
  }

  @Test
  void theRealTensorBoardShowsTheKilledRunFailedAndItsResumeSucceeded() throws Exception {
    Path python = RealTensorBoard.python("KilledRunSessionEndTest.theRealTensorBoardShowsTheKilledRunFailedAndItsResumeSucceeded");
    killTrainerWithStepsLeftInItsJournal();
    runFor(other, 0, 10);
    assertThat(RealTensorBoard.sessionStatuses(python, logDir()))
        .containsExactly("sd-lora/lora-r64 STATUS_FAILURE", "sd-lora/other STATUS_SUCCESS");

    runFor(killed, STEPS, STEPS + 10);

    assertThat(RealTensorBoard.sessionStatuses(python, logDir()))
        .containsExactly("sd-lora/lora-r64 STATUS_SUCCESS", "sd-lora/other STATUS_SUCCESS");
  }

  /** A child logs {@value #STEPS} steps of the killed run, its backend writes the first 120, and it is killed. */
  private void killTrainerWithStepsLeftInItsJournal() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KilledTrainerChild.class.getName(), logDir().toString(),
        journals().toString(), killed.runId(), Long.toString(STEPS), Long.toString(WRITTEN_BEFORE_KILL)));
    Process child = new ProcessBuilder(cmd).redirectError(dir.resolve("child-stderr.log").toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("stuck");
      assertThat(out.readLine()).isEqualTo("logged " + STEPS);
    } finally {
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(child.exitValue()).isEqualTo(137);
    assertThat(Fixtures.recordEvents(logDir().resolve("sd-lora/lora-r64"))).extracting(TbEvent::step)
        .as("written before the kill").containsExactlyElementsOf(LongStream.range(0, WRITTEN_BEFORE_KILL).boxed().toList());
  }

  /** A process of {@code run} on the same journal dir: it delivers a journal left there first, then logs and closes. */
  private void runFor(RunInfo run, long from, long to) {
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("tb", Fixtures.backend(logDir(), run), SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(journals()).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = from; s < to; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(60))).isTrue();
  }

  private Path logDir() {
    return dir.resolve("runs");
  }

  private Path journals() {
    return dir.resolve("journal");
  }
}
