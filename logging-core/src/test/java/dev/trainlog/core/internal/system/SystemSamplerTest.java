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
      assertThat(log.text()).contains("TrainLog system metrics every 100ms: host via OSHI, 2 GPUs via nvidia-smi");
    }
    assertThat(readings.get(0)).containsEntry("system/gpu1/utilization_percent", 91.0)
        .containsEntry("system/gpu0/memory_used_mb", 40536.0).containsKey("system/memory/host_used_mb");
  }

  @Test
  void withoutNvidiaSmiTheStartLineSaysNoGpu() throws Exception {
    List<Map<String, Object>> readings = new CopyOnWriteArrayList<>();
    try (CapturedLog log = new CapturedLog();
        SystemSampler sampler = SystemSampler.start(Duration.ofSeconds(1), dir, Map.of("PATH", dir.toString()),
            readings::add)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> log.text().contains("TrainLog system metrics every"));
      assertThat(log.text()).contains("TrainLog system metrics every 1s: host via OSHI, no GPU (nvidia-smi not on PATH)");
    }
  }
}
