package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestBackendContext;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispatcher that finds the journal of a killed run delivers it to that run's own folder, as a resume of it;
 * the new run's folder holds its own records only. Read back with the tests' own decoder.
 */
class LeftoverJournalRunsTest {

  @TempDir Path dir;

  private final RunInfo killed = TestRecords.run("sd-lora", "lora-r64").toBuilder().runId("killed-id").build();
  private final RunInfo rerun = TestRecords.run("sd-lora", "lora-r64").toBuilder().runId("rerun-id").build();

  @Test
  void recordsOfAKilledRunGoOnInItsOwnFolderAndTheRerunOfTheSameNameGetsItsOwn() throws Exception {
    // the killed process wrote steps 0-99 to its folder and journaled 100-299 before SIGKILL
    TensorBoardBackend before = Fixtures.backend(logDir(), killed);
    before.open();
    before.write(steps(killed, 0, 100));
    before.flush();
    leaveJournal(killed, 100, 300);

    rerunWith100Steps();

    Path killedDir = logDir().resolve("sd-lora/lora-r64");
    assertThat(scalars(killedDir)).as("steps of the killed run, in its own folder")
        .containsExactlyElementsOf(LongStream.range(0, 300).mapToObj(s -> s + "=" + (float) (1000.0 + s)).toList());
    assertThat(EventFiles.sessionEnds(killedDir)).extracting(TbEvent.SessionEnd::status)
        .as("its process is gone: it ended KILLED (a failure), once")
        .containsExactly(HParamsEncoder.STATUS_FAILURE);
    assertRerunHoldsItsOwnRecordsOnly(logDir().resolve("sd-lora/lora-r64-2"));
  }

  @Test
  void aRunThatEndedItselfGetsNoSecondSessionEndWhenItsJournalIsDeliveredLater() throws Exception {
    // closed FINISHED with its worker behind (or resumed and finished elsewhere): its journal is still here
    TensorBoardBackend before = Fixtures.backend(logDir(), killed);
    before.open();
    before.write(steps(killed, 0, 100));
    before.close(RunStatus.FINISHED);
    leaveJournal(killed, 100, 300);

    rerunWith100Steps();

    Path killedDir = logDir().resolve("sd-lora/lora-r64");
    assertThat(scalars(killedDir)).hasSize(300);
    assertThat(EventFiles.sessionEnds(killedDir)).extracting(TbEvent.SessionEnd::status)
        .containsExactly(HParamsEncoder.STATUS_SUCCESS);
  }

  @Test
  void aRunClosedWhileItsFolderCouldNotBeWrittenEndsAsItsProcessClosedItWhenItsJournalIsDelivered() throws Exception {
    // its log-dir was unusable for the whole run (a file where the folder goes): closed FINISHED, all kept
    Path blocked = java.nio.file.Files.writeString(dir.resolve("blocked"), "");
    LogDispatcher d = LogDispatcher.builder(killed)
        .backend("tb", Fixtures.backend(blocked, killed), SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(journals()).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 300; s++) {
      d.log(s, Map.of("loss", 1000.0 + s));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofMillis(500))).isFalse();

    rerunWith100Steps();

    // the rerun's backend opened first and took the name's folder; the closed run, which made none, gets the next
    Path closedDir = logDir().resolve("sd-lora/lora-r64-2");
    assertThat(scalars(closedDir)).hasSize(300);
    assertThat(EventFiles.sessionEnds(closedDir)).extracting(TbEvent.SessionEnd::status)
        .as("as its process closed it, not killed").containsExactly(HParamsEncoder.STATUS_SUCCESS);
    assertRerunHoldsItsOwnRecordsOnly(logDir().resolve("sd-lora/lora-r64"));
  }

  @Test
  void aKilledRunThatNeverWroteEventsGetsTheFolderItWouldHaveHad() throws Exception {
    RunInfo other = TestRecords.run("sd-lora", "killed");
    leaveJournal(other, 0, 300);

    rerunWith100Steps();

    assertThat(scalars(logDir().resolve("sd-lora/killed")))
        .containsExactlyElementsOf(LongStream.range(0, 300).mapToObj(s -> s + "=" + (float) (1000.0 + s)).toList());
    assertRerunHoldsItsOwnRecordsOnly(logDir().resolve("sd-lora/lora-r64"));
  }

  @Test
  void recordsOfManyRunsAreWrittenWithABoundedNumberOfOpenFiles() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir(), rerun);
    backend.open();
    List<RunInfo> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(TestRecords.run("sd-lora", "run-" + i));
    }
    for (long step = 0; step < 3; step++) {
      List<LogRecord> batch = new ArrayList<>();
      for (RunInfo run : runs) {
        batch.add(Fixtures.record(run, step, "loss", (double) step));
      }
      backend.write(batch);
      assertThat(backend.otherRunFolders().openWriters()).hasSize(OtherRunFolders.MAX_OPEN_WRITERS);
    }
    backend.close(RunStatus.FINISHED);

    assertThat(backend.otherRunFolders().openWriters()).isEmpty();
    for (RunInfo run : runs) {
      assertThat(scalars(logDir().resolve("sd-lora").resolve(run.runName()))).containsExactly("0=0.0", "1=1.0", "2=2.0");
    }
    assertThat(Fixtures.recordEvents(backend.runDirectory())).isEmpty();
  }

  @Test
  void aResendWritesEachRecordToItsRunsFolderAndMakesNoFolderOfItsOwn() throws Exception {
    SettingsView settings = SettingsView.of("backends.tb", Map.of("log-dir", logDir().toString()));
    Map<String, String> env = Map.of("TRAINLOG_RESEND", "true");
    LogBackend resend = new TensorBoardBackendProvider().create(new TestBackendContext("tb", rerun, settings, env,
        dir, Fixtures.CLOCK));

    resend.open();
    resend.write(steps(killed, 0, 300));
    resend.close(RunStatus.FINISHED);

    assertThat(logDir().resolve("sd-lora")).isDirectoryContaining(p -> p.getFileName().toString().equals("lora-r64"))
        .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("lora-r64-"));
    assertThat(scalars(logDir().resolve("sd-lora/lora-r64")))
        .containsExactlyElementsOf(LongStream.range(0, 300).mapToObj(s -> s + "=" + (float) (1000.0 + s)).toList());
    assertThat(sessionEnds(logDir().resolve("sd-lora/lora-r64"))).as("a resend does not say how its runs ended").isZero();
  }

  @Test
  void atMostFourWritersOfOtherRunsAreOpen() {
    assertThat(OtherRunFolders.MAX_OPEN_WRITERS).isEqualTo(4);
  }

  private void rerunWith100Steps() {
    LogDispatcher d = LogDispatcher.builder(rerun)
        .backend("tb", Fixtures.backend(logDir(), rerun), SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(journals()).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 100; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(30))).isTrue();
  }

  private static void assertRerunHoldsItsOwnRecordsOnly(Path rerunDir) throws Exception {
    assertThat(scalars(rerunDir))
        .containsExactlyElementsOf(LongStream.range(0, 100).mapToObj(s -> s + "=" + (float) (1.0 / (s + 1))).toList());
    assertThat(sessionEnds(rerunDir)).isEqualTo(1);
  }

  /** What a process killed after journaling steps {@code from} to {@code to} of {@code run} leaves behind. */
  private void leaveJournal(RunInfo run, long from, long to) throws Exception {
    Journal left = Journal.tryOpen(journals().resolve(run.runId() + "-rank0"), 1 << 16, 1 << 20);
    for (long s = from; s < to; s++) {
      left.append(run, s, -1, TestRecords.START_MILLIS + s * 10, false,
          MetricMap.builder(1).put("loss", 1000.0 + s).build());
    }
    left.close();
  }

  private static List<LogRecord> steps(RunInfo run, long from, long to) {
    List<LogRecord> records = new ArrayList<>();
    for (long s = from; s < to; s++) {
      records.add(Fixtures.record(run, s, "loss", 1000.0 + s));
    }
    return records;
  }

  /** Each logged loss as {@code step=value}, in file order. */
  private static List<String> scalars(Path runDir) throws Exception {
    return Fixtures.recordEvents(runDir).stream().map(e -> e.step() + "=" + e.value("loss").simpleValue()).toList();
  }

  private static long sessionEnds(Path runDir) throws Exception {
    return EventFiles.allEvents(runDir).stream().filter(e -> e.value(HParamsEncoder.SESSION_END_TAG) != null).count();
  }

  private Path logDir() {
    return dir.resolve("runs");
  }

  private Path journals() {
    return dir.resolve("journal");
  }
}
