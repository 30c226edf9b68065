package dev.trainlog.core.internal.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.core.internal.journal.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler's start line says what it found, and GPU readings join the host's. */
class SystemSamplerTest {

  @TempDir Path dir;

  @Test
  void theStartLineNamesTwoGpusFoundThroughNvidiaSmiAndReadingsCarryBoth() throws Exception {
    Path script = dir.resolve("nvidia-smi");
    Files.writeString(script, "#!/bin/sh\ncat <<'X'\n0, NVIDIA A100-SXM4-80GB, 37, 40536, 81920, 54, 212.45, 1410\n"
        + "1, NVIDIA A100-SXM4-80GB, 91, 70000, 81920, 66, 301.10, 1410\nX\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Map<String, Object>> readings = new CopyOnWriteArrayList<>();

    try (CapturedLog log = new CapturedLog();
        SystemSampler sampler = SystemSampler.start(Duration.ofMillis(100), dir, Map.of("PATH", dir.toString()),
            readings::add)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !readings.isEmpty());
      // this machine has no libnvidia-ml: NVML does not load and nvidia-smi is the fallback
      assertThat(log.text()).contains("TrainLog system metrics every 100ms: host via OSHI, 2 GPUs via nvidia-smi"
          + " (NVML: libnvidia-ml not found)");
    }
    assertThat(readings.get(0)).containsEntry("system/gpu1/utilization_percent", 91.0)
        .containsEntry("system/gpu0/memory_used_mb", 40536.0).containsKey("system/memory/host_used_mb");
  }

  @Test
  void aRunShorterThanTheIntervalStillGetsOneReadingWhenItCloses() throws Exception {
    List<Map<String, Object>> readings = new CopyOnWriteArrayList<>();
    SystemSampler sampler = SystemSampler.start(Duration.ofHours(1), dir, Map.of("PATH", dir.toString()),
        readings::add);
    sampler.closeWithLastReading(Duration.ofSeconds(30));
    // the baseline reading at start is not logged; the last one, after it, is
    assertThat(readings).hasSize(1);
    assertThat(readings.get(0)).containsKey("system/memory/host_used_mb");
  }

  @Test
  void withoutNvidiaSmiTheStartLineSaysNoGpu() throws Exception {
    List<Map<String, Object>> readings = new CopyOnWriteArrayList<>();
    try (CapturedLog log = new CapturedLog();
        SystemSampler sampler = SystemSampler.start(Duration.ofSeconds(1), dir, Map.of("PATH", dir.toString()),
            readings::add)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> log.text().contains("TrainLog system metrics every"));
      assertThat(log.text()).contains("TrainLog system metrics every 1s: host via OSHI, no GPU (libnvidia-ml not found,"
          + " nvidia-smi not on PATH)");
    }
  }

  @Test
  void whenNvmlLoadsItIsUsedAndNvidiaSmiIsNeverRun() throws Exception {
    Path ran = dir.resolve("nvidia-smi-ran");
    Path script = dir.resolve("nvidia-smi");
    Files.writeString(script, "#!/bin/sh\ntouch " + ran + "\necho '0, X, 1, 1, 1, 1, 1, 1'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    RecordedNvml nvml = new RecordedNvml(List.of(RecordedNvml.A100, RecordedNvml.MIG));
    List<Map<String, Object>> readings = new CopyOnWriteArrayList<>();

    try (CapturedLog log = new CapturedLog();
        SystemSampler sampler = SystemSampler.start(Duration.ofMillis(100), dir, Map.of("PATH", dir.toString()),
            () -> nvml, readings::add)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> readings.size() >= 2);
      assertThat(log.text()).contains("TrainLog system metrics every 100ms: host via OSHI, 2 GPUs via NVML\n");
    }
    assertThat(readings.get(1)).containsEntry("system/gpu0/utilization_percent", 37.0)
        .containsEntry("system/gpu1/power_w", 48.23).doesNotContainKey("system/gpu1/utilization_percent");
    assertThat(ran).doesNotExist();
    assertThat(nvml.shutDown).isTrue();
  }
}
