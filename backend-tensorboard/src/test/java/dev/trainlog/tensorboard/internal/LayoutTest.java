package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {

  @TempDir
  Path logDir;

  private static String fileName(Path file) {
    return file.getFileName().toString();
  }

  @Test
  void filesAreNamedLikeTensorFlowsWriter() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.close(RunStatus.FINISHED);

    List<Path> files = EventFiles.list(backend.runDirectory());
    assertThat(files).hasSize(1);
    long pid = ProcessHandle.current().pid();
    assertThat(fileName(files.get(0)))
        .matches("events\\.out\\.tfevents\\." + (Fixtures.NOW_MILLIS / 1000) + "\\.node-0\\." + pid + "\\.\\d+");
    assertThat(fileName(files.get(0))).as("ten digits of epoch seconds").matches("events\\.out\\.tfevents\\.\\d{10}\\..+");
  }

  @Test
  void rankZeroWritesToTheRunFolderAndOtherRanksToTheirOwn() throws Exception {
    RunInfo rank0 = TestRecords.run("exp", "run-a", 0, 2, "node-0");
    RunInfo rank1 = TestRecords.run("exp", "run-a", 1, 2, "node-1");

    assertThat(Fixtures.backend(logDir, rank0).runDirectory()).isEqualTo(logDir.resolve("exp").resolve("run-a"));
    assertThat(Fixtures.backend(logDir, rank1).runDirectory())
        .isEqualTo(logDir.resolve("exp").resolve("run-a").resolve("rank-1"));
    TensorBoardConfig shared = new TensorBoardConfig(null, false, null, null, null);
    assertThat(Fixtures.backend(logDir, rank1, shared).runDirectory()).isEqualTo(logDir.resolve("exp").resolve("run-a"));
  }

  @Test
  void namesCannotLeaveTheLogDir() {
    RunInfo run = TestRecords.run("../up", "..");

    assertThat(Fixtures.backend(logDir, run).runDirectory()).isEqualTo(logDir.resolve(".._up").resolve("_"));
  }

  @Test
  void aBatchIsReadableAsSoonAsWriteReturns() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 3));

    assertThat(Fixtures.recordEvents(backend.runDirectory())).extracting(TbEvent::step).containsExactly(0L, 1L, 2L);
    backend.close(RunStatus.FINISHED);
  }

  @Test
  void flushingAndWritingManyBatchesKeepsAppendingToOneFile() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    for (int batch = 0; batch < 5; batch++) {
      backend.write(TestRecords.scalarSteps(Fixtures.RUN, batch * 10, batch * 10 + 10));
      backend.flush();
    }
    backend.close(RunStatus.FINISHED);

    assertThat(EventFiles.list(backend.runDirectory())).hasSize(1);
    assertThat(Fixtures.recordEvents(backend.runDirectory())).hasSize(50);
  }

  @Test
  void afterAFailureTheOldFileIsClosedAndANewOneThatSortsLastIsStarted() throws Exception {
    List<FileChannel> channels = new ArrayList<>();
    EventFile.Opener recording = file -> {
      FileChannel c = EventFile.CREATE_NEW.open(file);
      channels.add(c);
      return c;
    };
    TensorBoardBackend backend = new TensorBoardBackend(
        Fixtures.RUN, TensorBoardConfig.defaults().withLogDir(logDir.toString()), Fixtures.CLOCK, recording);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 3));
    backend.flush();
    channels.get(0).close();

    Exception failure = catchException(() -> backend.write(TestRecords.scalarSteps(Fixtures.RUN, 3, 6)));
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 3, 6));
    backend.close(RunStatus.FINISHED);

    assertThat(failure).isInstanceOf(BackendException.class);
    assertThat(((BackendException) failure).retryable()).isTrue();
    assertThat(failure.getMessage()).startsWith("TensorBoard backend could not write event files in " + backend.runDirectory());
    assertThat(channels).hasSize(2).allMatch(c -> !c.isOpen());
    List<Path> files = EventFiles.list(backend.runDirectory());
    assertThat(files).hasSize(2);
    assertThat(fileName(files.get(1))).isGreaterThan(fileName(files.get(0)));
    assertThat(EventFiles.events(files.get(1)).get(0).fileVersion()).isEqualTo("brain.Event:2");
    assertThat(Fixtures.recordEvents(backend.runDirectory())).extracting(TbEvent::step)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aNewFileSortsAfterAnExistingOneEvenWhenTheClockIsBehindIt() throws Exception {
    Path runDir = Fixtures.runDir(logDir, Fixtures.RUN);
    Files.createDirectories(runDir);
    String later = RunLayout.fileName(Fixtures.NOW_MILLIS / 1000 + 100, "other-host", 1, 99);
    Files.write(runDir.resolve(later), new byte[0]);
    Files.writeString(runDir.resolve(RunFolder.ID_FILE), Fixtures.RUN.runId()); // a file of this same run

    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.close(RunStatus.FINISHED);

    List<Path> files = EventFiles.list(runDir);
    assertThat(files).hasSize(2);
    assertThat(fileName(files.get(0))).isEqualTo(later);
    assertThat(fileName(files.get(1))).startsWith("events.out.tfevents." + (Fixtures.NOW_MILLIS / 1000 + 101) + ".");
  }
}
