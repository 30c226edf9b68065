package dev.trainlog.core.internal.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NVML's structs and units become the same readings {@code nvidia-smi} prints for the same device. */
class NvmlTest {

  @Test
  void anA100ReadThroughNvmlGivesTheSampleNvidiaSmiPrintsForIt() {
    Nvml nvml = Nvml.open(() -> new RecordedNvml(List.of(RecordedNvml.A100))).nvml();
    List<GpuSample> read = nvml.sample().orElseThrow();
    // the same device's line from nvidia-smi --format=csv,noheader,nounits
    assertThat(read).isEqualTo(NvidiaSmi.parse("0, NVIDIA A100-SXM4-80GB, 37, 40536, 81920, 54, 212.45, 1410\n"));
    assertThat(read.get(0).metrics()).containsEntry("system/gpu0/memory_total_mb", 81920.0)
        .containsEntry("system/gpu0/power_w", 212.45);
  }

  @Test
  void aFieldTheDeviceDoesNotReportIsLeftOutAndTheOthersAreKept() {
    Nvml nvml = Nvml.open(() -> new RecordedNvml(List.of(RecordedNvml.A100, RecordedNvml.MIG))).nvml();
    List<GpuSample> read = nvml.sample().orElseThrow();
    assertThat(read).hasSize(2);
    assertThat(read.get(1).metrics()).doesNotContainKey("system/gpu1/utilization_percent")
        .containsEntry("system/gpu1/memory_used_mb", 13.0).containsEntry("system/gpu1/power_w", 48.23)
        .containsEntry("system/gpu1/temperature_c", 35.0);
  }

  @Test
  void unsignedValuesAboveIntMaxStayPositive() {
    RecordedNvml.Device hot = new RecordedNvml.Device("X", 5, 1L << 40, 1L << 39, 60, 0xF000_0000, 2100);
    GpuSample s = Nvml.open(() -> new RecordedNvml(List.of(hot))).nvml().sample().orElseThrow().get(0);
    assertThat(s.powerW()).isEqualTo(4_026_531.84);
    assertThat(s.memoryTotalMb()).isEqualTo(1_048_576.0);
  }

  @Test
  void aLostGpuEndsReadingAsAHangingNvidiaSmiDoes() {
    RecordedNvml lib = new RecordedNvml(List.of(RecordedNvml.A100, RecordedNvml.A100));
    Nvml nvml = Nvml.open(() -> lib).nvml();
    lib.lostAt = 1;
    assertThat(nvml.sample()).isEmpty();
  }

  @Test
  void aDriverThatDoesNotStartIsNamedWithItsCode() {
    RecordedNvml lib = new RecordedNvml(List.of(RecordedNvml.A100));
    lib.initCode = 9; // NVML_ERROR_DRIVER_NOT_LOADED
    Nvml.Result r = Nvml.open(() -> lib);
    assertThat(r.nvml()).isNull();
    assertThat(r.why()).isEqualTo("nvmlInit failed with code 9");
  }

  @Test
  void theRealLoaderFindsNoLibnvidiaMlOnAMachineWithoutTheDriver() {
    assumeThat(Files.exists(Path.of("/proc/driver/nvidia"))).as("no NVIDIA driver here").isFalse();
    Nvml.Result r = Nvml.open(Nvml::loadNative);
    assertThat(r.nvml()).isNull();
    assertThat(r.why()).isEqualTo("libnvidia-ml not found");
  }

  @Test
  void namesAreReadUpToTheirNul() {
    assertThat(Nvml.cString(new byte[] {'H', '1', '0', '0', 0, 'x'})).isEqualTo("H100");
    assertThat(Nvml.cString(new byte[] {'A', 'B'})).isEqualTo("AB");
  }
}
