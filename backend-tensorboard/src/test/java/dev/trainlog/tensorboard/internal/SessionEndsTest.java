package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a session end at the end of a run's event files, without reading them through. */
class SessionEndsTest {

  @TempDir Path logDir;

  @Test
  void aClosedRunsFileEndsWithItsSessionEndAndAnOpenOnesDoesNot() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(List.of(Fixtures.record(Fixtures.RUN, 0, "loss", 1.0)));
    backend.flush();
    Path runDir = backend.runDirectory();
    assertThat(SessionEnds.anyIn(runDir)).isFalse();

    backend.close(RunStatus.FINISHED);

    assertThat(SessionEnds.anyIn(runDir)).isTrue();
  }

  @Test
  void aSessionEndFollowedByAnyRecordOrByATornOneIsNotTheFilesEnd() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.close(RunStatus.KILLED);
    Path file = EventFiles.list(backend.runDirectory()).get(0);
    byte[] closed = Files.readAllBytes(file);

    Files.write(file, Arrays.copyOf(closed, closed.length - 1));
    assertThat(SessionEnds.endsWithSessionEnd(file)).as("torn").isFalse();
    Files.write(file, Arrays.copyOf(closed, closed.length + 7));
    assertThat(SessionEnds.endsWithSessionEnd(file)).as("followed by bytes that are no record").isFalse();
    Files.write(file, closed);
    assertThat(SessionEnds.endsWithSessionEnd(file)).isTrue();
  }

  @Test
  void onlyTheKilledEndsAreDeleted() throws Exception {
    Path runDir = Files.createDirectories(logDir.resolve("run"));
    Files.writeString(runDir.resolve("events.out.tfevents.1.host.1.0"), "");
    Files.writeString(runDir.resolve("events.out.tfevents.2.host.1.1" + SessionEnds.KILLED_SUFFIX), "");

    assertThat(SessionEnds.deleteKilled(runDir)).isEqualTo(1);

    assertThat(EventFiles.list(runDir)).extracting(p -> p.getFileName().toString())
        .containsExactly("events.out.tfevents.1.host.1.0");
  }
}
