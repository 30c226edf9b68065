package dev.trainlog.core.internal.system;

import java.util.List;
import java.util.Optional;

/** Where GPU readings come from: NVML when the driver's library loads, else {@code nvidia-smi}. */
interface GpuSource {

  /** How the start line names this source: {@code NVML} or {@code nvidia-smi}. */
  String name();

  /** Every GPU's reading now; empty when the source failed and GPUs should no longer be read. */
  Optional<List<GpuSample>> sample();
}
