package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.SmallTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEndFileTest {

  @TempDir Path dir;

  private final RunInfo run = RunInfo.builder().experiment("sd:lora=v4 #1").runName("rank64 ünïcode\\x").runId("r1")
      .rank(3).worldSize(8).node("gpu-node-7").build();

  @Test
  void anEndIsWrittenOverTheRunningFileInPlaceAtTheSameLength() throws Exception {
    RunEndFile.begin(dir, run);
    long size = Files.size(dir.resolve(RunEndFile.NAME));
    assertThat(RunEndFile.read(dir)).as("running, as a kill leaves it").isNull();

    for (RunStatus status : RunStatus.values()) {
      RunEndFile.write(dir, status, 1_796_600_005_000L, run);
      assertThat(Files.size(dir.resolve(RunEndFile.NAME))).as("no block more than the begin's").isEqualTo(size);
      RunEndFile.End end = RunEndFile.read(dir);
      assertThat(end.status()).isEqualTo(status);
      assertThat(end.endTimeMillis()).isEqualTo(1_796_600_005_000L);
      assertThat(end.run().experiment()).isEqualTo("sd:lora=v4 #1");
      assertThat(end.run().runName()).isEqualTo("rank64 ünïcode\\x");
      assertThat(end.run().runId()).isEqualTo("r1");
      assertThat(end.run().rank()).isEqualTo(3);
      assertThat(end.run().worldSize()).isEqualTo(8);
      assertThat(end.run().node()).isEqualTo("gpu-node-7");
    }
  }

  @Test
  void anEndIsWrittenOnADeviceThatFilledAfterTheBegin() throws Exception {
    try (SmallTmpfs tmpfs = SmallTmpfs.mountOrSkip(dir.resolve("tmpfs"), 1, "RunEndFileTest")) {
      Path journal = Files.createDirectories(tmpfs.dir().resolve("j"));
      RunEndFile.begin(journal, run);
      byte[] chunk = new byte[64 << 10];
      try (java.io.OutputStream filler = Files.newOutputStream(tmpfs.dir().resolve("filler"))) {
        while (true) {
          filler.write(chunk);
        }
      } catch (java.io.IOException full) {
        assertThat(full).hasMessageContaining("No space left on device");
      }

      RunEndFile.write(journal, RunStatus.FINISHED, 1_796_600_005_000L, run);

      assertThat(RunEndFile.read(journal).status()).isEqualTo(RunStatus.FINISHED);
    }
  }

  @Test
  void aDamagedFileIsTakenForAKill() throws Exception {
    Files.writeString(dir.resolve(RunEndFile.NAME), "status=FINISHED\nend_time_ms=not a number\n");
    assertThat(RunEndFile.read(dir)).isNull();
  }
}
