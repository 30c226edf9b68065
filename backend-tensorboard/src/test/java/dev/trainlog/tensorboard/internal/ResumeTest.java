package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {

  private static final String START = "START";

  @TempDir
  Path logDir;

  /** Each event as a short label: START@5, config@5, record@5, end@7, version. */
  private static List<String> labels(List<TbEvent> events) {
    return events.stream().map(e -> {
      if (e.fileVersion() != null) {
        return "version";
      }
      if (e.sessionLogStatus() != null) {
        return (e.sessionLogStatus() == 1 ? START : "log" + e.sessionLogStatus()) + "@" + e.step();
      }
      if (e.value(HParamsEncoder.SESSION_START_TAG) != null) {
        return "config@" + e.step();
      }
      if (e.value(HParamsEncoder.SESSION_END_TAG) != null) {
        return "end@" + e.step();
      }
      return "record@" + e.step();
    }).toList();
  }

  private void firstSession(long from, long to) throws Exception {
    TensorBoardBackend first = Fixtures.backend(logDir, Fixtures.RUN);
    first.open();
    first.write(TestRecords.scalarSteps(Fixtures.RUN, from, to));
    first.close(RunStatus.FAILED);
  }

  @Test
  void aResumedRunThatGoesBackHidesTheLaterPointsWithASessionStart() throws Exception {
    firstSession(0, 10);
    assertThat(labels(EventFiles.allEvents(Fixtures.runDir(logDir, Fixtures.RUN))))
        .as("the first session's START is the run's initial one, which TensorBoard does not treat as a restart")
        .startsWith("version", "START@0", "config@0");

    TensorBoardBackend resumed = Fixtures.backend(logDir, Fixtures.RUN);
    resumed.open();
    resumed.write(TestRecords.scalarSteps(Fixtures.RUN, 5, 8));
    resumed.close(RunStatus.FINISHED);

    List<Path> files = EventFiles.list(resumed.runDirectory());
    assertThat(files).hasSize(2);
    assertThat(labels(EventFiles.events(files.get(1)))).containsExactly(
        "version", "START@5", "config@5", "record@5", "record@6", "record@7", "end@7");
    assertThat(EventFiles.events(files.get(1)).get(1).wallTime()).isEqualTo((TestRecords.START_MILLIS + 5000) / 1000.0);
  }

  @Test
  void aResumedRunShowsHowItsLatestSessionEndedNotHowItsFirstDid() throws Exception {
    firstSession(0, 10);
    Path runDir = Fixtures.runDir(logDir, Fixtures.RUN);
    Path firstFile = EventFiles.list(runDir).get(0);

    TensorBoardBackend resumed = Fixtures.backend(logDir, Fixtures.RUN);
    resumed.open();
    resumed.write(TestRecords.scalarSteps(Fixtures.RUN, 10, 12));
    resumed.close(RunStatus.FINISHED);

    assertThat(labels(EventFiles.events(firstFile))).as("the first session's end is cut off its file, nothing else")
        .endsWith("record@8", "record@9").hasSize(13);
    assertThat(EventFiles.sessionEnds(runDir)).extracting(TbEvent.SessionEnd::status)
        .containsExactly(HParamsEncoder.STATUS_SUCCESS);
  }

  @Test
  void theRealTensorBoardShowsTheResumedRunsLatestStatus() throws Exception {
    Path python = RealTensorBoard.python("ResumeTest.theRealTensorBoardShowsTheResumedRunsLatestStatus");
    firstSession(0, 10);
    assertThat(RealTensorBoard.sessionStatuses(python, logDir)).containsExactly("exp/run-a STATUS_FAILURE");

    TensorBoardBackend resumed = Fixtures.backend(logDir, Fixtures.RUN);
    resumed.open();
    resumed.write(TestRecords.scalarSteps(Fixtures.RUN, 10, 12));
    resumed.close(RunStatus.FINISHED);

    assertThat(RealTensorBoard.sessionStatuses(python, logDir)).containsExactly("exp/run-a STATUS_SUCCESS");
  }

  @Test
  void aResumedRunThatRepeatsItsLastStepAlsoHidesIt() throws Exception {
    firstSession(0, 10);

    TensorBoardBackend resumed = Fixtures.backend(logDir, Fixtures.RUN);
    resumed.open();
    resumed.write(TestRecords.scalarSteps(Fixtures.RUN, 9, 11));
    resumed.close(RunStatus.FINISHED);

    assertThat(labels(EventFiles.events(EventFiles.list(resumed.runDirectory()).get(1))))
        .startsWith("version", "START@9", "config@9", "record@9");
  }

  @Test
  void aResumedSessionThatLogsNothingHidesNothing() throws Exception {
    firstSession(0, 10);

    TensorBoardBackend resumed = Fixtures.backend(logDir, Fixtures.RUN);
    resumed.open();
    resumed.close(RunStatus.FINISHED);

    assertThat(labels(EventFiles.events(EventFiles.list(resumed.runDirectory()).get(1))))
        .containsExactly("version", "config@0", "end@0");
  }

  @Test
  void aRunThatContinuesAfterItsLastStepStartsItsSessionThere() throws Exception {
    firstSession(0, 10);

    TensorBoardBackend resumed = Fixtures.backend(logDir, Fixtures.RUN);
    resumed.open();
    resumed.write(TestRecords.scalarSteps(Fixtures.RUN, 10, 12));
    resumed.close(RunStatus.FINISHED);

    assertThat(labels(EventFiles.events(EventFiles.list(resumed.runDirectory()).get(1))))
        .containsExactly("version", "START@10", "config@10", "record@10", "record@11", "end@11");
  }

  @Test
  void aRetriedBatchIsPrecededByASessionStartAtItsFirstStep() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 4));
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 2, 4));
    backend.close(RunStatus.FINISHED);

    assertThat(labels(EventFiles.allEvents(backend.runDirectory()))).containsExactly(
        "version", "START@0", "config@0", "record@0", "record@1", "record@2", "record@3",
        "START@2", "record@2", "record@3", "end@3");
  }

  @Test
  void aSessionStartAtTheConfigsStepWritesTheConfigAgain() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 2));
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 2));
    backend.close(RunStatus.FINISHED);

    assertThat(labels(EventFiles.allEvents(backend.runDirectory()))).containsExactly(
        "version", "START@0", "config@0", "record@0", "record@1", "START@0", "config@0", "record@0", "record@1", "end@1");
  }

  @Test
  void twoRecordsOfOneStepAreNotARestart() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(List.of(Fixtures.record(Fixtures.RUN, 4, "loss", 1.0), Fixtures.record(Fixtures.RUN, 4, "eval", 2.0)));
    backend.close(RunStatus.FINISHED);

    assertThat(labels(EventFiles.allEvents(backend.runDirectory())))
        .containsExactly("version", "START@4", "config@4", "record@4", "record@4", "end@4");
  }
}
