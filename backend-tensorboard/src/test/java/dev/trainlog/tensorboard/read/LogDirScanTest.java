package dev.trainlog.tensorboard.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirScanTest {

  @TempDir
  Path root;

  private Path eventFile(String relative) throws Exception {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    // a real event file's bytes, so that each run also reads
    Files.copy(TensorBoardLogDir.eventFiles(ReadAll.fixtures().resolve("logs/torch/run/pair_val")).get(0), file);
    return file;
  }

  @Test
  void everyDirectoryHoldingAnEventFileIsARunNamedByItsPathAndOtherFilesAreIgnored() throws Exception {
    Path top = eventFile("events.out.tfevents.1700000000.host");
    Path second = eventFile("exp/run1/events.out.tfevents.1700000100.host.2.0");
    Path first = eventFile("exp/run1/events.out.tfevents.1700000000.host.1.0");
    Path pair = eventFile("exp/run1/loss_train/events.out.tfevents.1700000000.host.1.1");
    Path nested = eventFile("exp/run2/loss/val/events.out.tfevents.1700000000.host");
    Path hparams = eventFile("exp/run2/1796474553.6073072/events.out.tfevents.1796474553.host");
    Files.writeString(root.resolve("exp/run1/notes.txt"), "not an event file");
    Files.createDirectories(root.resolve("exp/empty"));
    Files.createDirectories(root.resolve("exp/docs"));
    Files.writeString(root.resolve("exp/docs/README.md"), "# runs");

    List<TbRun> runs = TensorBoardLogDir.scan(root);

    assertThat(runs).containsExactly(
        new TbRun(".", root, List.of(top)),
        new TbRun("exp/run1", root.resolve("exp/run1"), List.of(first, second)),
        new TbRun("exp/run1/loss_train", root.resolve("exp/run1/loss_train"), List.of(pair)),
        new TbRun("exp/run2/1796474553.6073072", root.resolve("exp/run2/1796474553.6073072"), List.of(hparams)),
        new TbRun("exp/run2/loss/val", root.resolve("exp/run2/loss/val"), List.of(nested)));
    for (TbRun run : runs) {
      assertThat(ReadAll.run(run)).as(run.name()).hasSize(4 * run.eventFiles().size());
    }
  }

  @Test
  void aLogDirWithoutEventFilesHasNoRuns() throws Exception {
    Files.writeString(root.resolve("events.txt"), "no");

    assertThat(TensorBoardLogDir.scan(root)).isEmpty();
  }

  @Test
  void aMissingLogDirIsNamedInTheError() {
    Path missing = root.resolve("nope");

    assertThatThrownBy(() -> TensorBoardLogDir.scan(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(missing + ": not a TensorBoard log directory (no such directory)");
  }

  @Test
  void eventFilesOfOneDirectoryAreInNameOrder() throws Exception {
    Path b = eventFile("run/events.out.tfevents.1700000002.host");
    Path a = eventFile("run/events.out.tfevents.1700000001.host");
    Files.writeString(root.resolve("run/other.log"), "x");

    assertThat(TensorBoardLogDir.eventFiles(root.resolve("run"))).containsExactly(a, b);
    assertThat(TensorBoardLogDir.eventFiles(root.resolve("missing"))).isEmpty();
  }
}
