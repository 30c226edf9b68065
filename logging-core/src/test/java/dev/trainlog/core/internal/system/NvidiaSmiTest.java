package dev.trainlog.core.internal.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nvidia-smi} read through a fake program on a PATH that prints lines recorded from real drivers:
 * these machines have no GPU, so this is all the GPU path has run against here.
 */
class NvidiaSmiTest {

  /** A100 80GB, driver 535, {@code --query-gpu=<QUERY> --format=csv,noheader,nounits}. */
  private static final String ONE_GPU = "0, NVIDIA A100-SXM4-80GB, 37, 40536, 81920, 54, 212.45, 1410\n";
  /** An 8 x H100 node; GPU 5 idle. */
  private static final String EIGHT_GPUS = String.join("\n",
      "0, NVIDIA H100 80GB HBM3, 98, 71234, 81559, 61, 652.31, 1980",
      "1, NVIDIA H100 80GB HBM3, 97, 71230, 81559, 63, 648.90, 1980",
      "2, NVIDIA H100 80GB HBM3, 99, 71228, 81559, 60, 655.02, 1980",
      "3, NVIDIA H100 80GB HBM3, 96, 71240, 81559, 64, 640.77, 1980",
      "4, NVIDIA H100 80GB HBM3, 98, 71236, 81559, 62, 651.40, 1980",
      "5, NVIDIA H100 80GB HBM3, 0, 4, 81559, 33, 69.85, 345",
      "6, NVIDIA H100 80GB HBM3, 97, 71229, 81559, 61, 647.12, 1980",
      "7, NVIDIA H100 80GB HBM3, 98, 71231, 81559, 63, 650.66, 1980") + "\n";
  /** A GPU in MIG mode: the driver reports no utilisation for the whole device. */
  private static final String MIG = "0, NVIDIA A100-SXM4-40GB, [N/A], 13, 40960, 35, 48.23, 1410\n";
  /** A consumer card that does not report its power draw. */
  private static final String NO_POWER = "0, NVIDIA GeForce GTX 1080, 12, 1024, 8192, 45, [N/A], 1607\n";
  private static final String BANNER = "| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |\n";

  @TempDir Path bin;

  private NvidiaSmi fake(String queryOutput) throws IOException {
    Path script = bin.resolve("nvidia-smi");
    Files.writeString(script, "#!/bin/sh\nif [ $# -eq 0 ]; then cat <<'X'\n" + BANNER + "X\nexit 0; fi\n"
        + "cat <<'X'\n" + queryOutput + "X\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path found = NvidiaSmi.locate(Map.of("PATH", "/nonexistent:" + bin)).orElseThrow();
    return new NvidiaSmi(found, Duration.ofSeconds(20));
  }

  @Test
  void oneGpuReadsEveryField() throws IOException {
    List<GpuSample> gpus = fake(ONE_GPU).sample().orElseThrow();

    assertThat(gpus).containsExactly(new GpuSample(0, "NVIDIA A100-SXM4-80GB", 37, 40536, 81920, 54, 212.45, 1410));
    assertThat(gpus.get(0).metrics()).containsExactly(
        Map.entry("system/gpu0/utilization_percent", 37.0), Map.entry("system/gpu0/memory_used_mb", 40536.0),
        Map.entry("system/gpu0/memory_total_mb", 81920.0), Map.entry("system/gpu0/temperature_c", 54.0),
        Map.entry("system/gpu0/power_w", 212.45), Map.entry("system/gpu0/sm_clock_mhz", 1410.0));
  }

  @Test
  void eightGpusAreKeyedByTheirIndex() throws IOException {
    List<GpuSample> gpus = fake(EIGHT_GPUS).sample().orElseThrow();

    assertThat(gpus).extracting(GpuSample::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(gpus.get(5).metrics()).containsEntry("system/gpu5/utilization_percent", 0.0)
        .containsEntry("system/gpu5/sm_clock_mhz", 345.0);
  }

  @Test
  void aMigDeviceHasNoUtilisationButItsMemory() throws IOException {
    Map<String, Object> metrics = fake(MIG).sample().orElseThrow().get(0).metrics();

    assertThat(metrics).doesNotContainKey("system/gpu0/utilization_percent")
        .containsEntry("system/gpu0/memory_used_mb", 13.0).containsEntry("system/gpu0/memory_total_mb", 40960.0);
  }

  @Test
  void aFieldTheDriverDoesNotOfferIsLeftOut() throws IOException {
    Map<String, Object> metrics = fake(NO_POWER).sample().orElseThrow().get(0).metrics();

    assertThat(metrics).doesNotContainKey("system/gpu0/power_w").containsEntry("system/gpu0/temperature_c", 45.0);
  }

  @Test
  void driverAndCudaVersionsComeFromTheBanner() throws IOException {
    assertThat(fake(ONE_GPU).versions()).contains(Map.of("driver", "535.104.05", "cuda", "12.2"));
  }

  @Test
  void aHangingNvidiaSmiIsKilledAtTheTimeoutAndReadsAsNothing() throws IOException {
    Path script = bin.resolve("nvidia-smi");
    Files.writeString(script, "#!/bin/sh\nexec sleep 600\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    Optional<List<GpuSample>> read = new NvidiaSmi(script, Duration.ofMillis(300)).sample();

    assertThat(read).isEmpty();
  }

  @Test
  void noNvidiaSmiOnThePathIsNoGpu() {
    assertThat(NvidiaSmi.locate(Map.of("PATH", bin.toString()))).isEmpty();
    assertThat(NvidiaSmi.locate(Map.of())).isEmpty();
  }

  @Test
  void linesThatAreNotGpusAreSkipped() {
    assertThat(NvidiaSmi.parse("No devices were found\n")).isEmpty();
  }
}
