package dev.trainlog.core.internal.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One GPU's reading from NVML or {@code nvidia-smi}, memory in MiB, power in W; a field the driver does
 * not offer ({@code [N/A]}, a MIG instance's utilisation) is NaN and left out of {@link #metrics}.
 */
public record GpuSample(int index, String name, double utilizationPercent, double memoryUsedMb,
    double memoryTotalMb, double temperatureC, double powerW, double smClockMhz) {

  /** The metrics under {@code system/gpu<index>/}, only those that were read. */
  public Map<String, Object> metrics() {
    Map<String, Object> out = new LinkedHashMap<>();
    String p = "system/gpu" + index + "/";
    put(out, p + "utilization_percent", utilizationPercent);
    put(out, p + "memory_used_mb", memoryUsedMb);
    put(out, p + "memory_total_mb", memoryTotalMb);
    put(out, p + "temperature_c", temperatureC);
    put(out, p + "power_w", powerW);
    put(out, p + "sm_clock_mhz", smClockMhz);
    return out;
  }

  private static void put(Map<String, Object> out, String key, double value) {
    if (!Double.isNaN(value)) {
      out.put(key, value);
    }
  }
}
