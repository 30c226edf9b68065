package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal that cannot be opened stops the start with its cause in the message, which is all a CLI prints. */
class JournalOpenErrorTest {

  @TempDir Path dir;

  @Test
  void aJournalThatCannotBeOpenedIsAnErrorThatSaysWhy() throws Exception {
    RunInfo run = RunInfo.builder().experiment("e").runName("r").runId("r1").build();
    Path own = Files.createDirectories(dir.resolve("journal").resolve("r1-rank0"));
    Files.createDirectories(own.resolve("journal.lock").resolve("in-the-way"));

    assertThatThrownBy(() -> LogDispatcher.builder(run)
        .backend("store", batch -> { }, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot open the TrainLog journal under " + dir.resolve("journal").toAbsolutePath()
            + ": " + own.resolve("journal.lock"));
  }
}
