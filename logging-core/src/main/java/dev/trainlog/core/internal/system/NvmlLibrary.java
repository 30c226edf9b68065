package dev.trainlog.core.internal.system;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The NVML calls TrainLog makes, bound by JNA to {@code libnvidia-ml} (NVML API reference, driver 450+).
 * Each returns an {@code nvmlReturn_t} ({@link #SUCCESS} or an error code); results come back through
 * arrays: {@code nvmlUtilization_t} as {@code {gpu, memory}} percent, {@code nvmlMemory_t} as {@code
 * {total, free, used}} bytes, temperature in °C, power in milliwatts, clocks in MHz.
 */
public interface NvmlLibrary extends Library {

  int SUCCESS = 0;
  int ERROR_NOT_SUPPORTED = 3;
  int ERROR_GPU_IS_LOST = 15;
  /** {@code NVML_TEMPERATURE_GPU}: the GPU die's sensor. */
  int TEMPERATURE_GPU = 0;
  /** {@code NVML_CLOCK_SM}. */
  int CLOCK_SM = 1;
  /** {@code NVML_DEVICE_NAME_V2_BUFFER_SIZE}. */
  int NAME_BUFFER_SIZE = 96;

  int nvmlInit_v2();

  int nvmlShutdown();

  int nvmlDeviceGetCount_v2(int[] count);

  int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

  int nvmlDeviceGetName(Pointer device, byte[] name, int length);

  int nvmlDeviceGetUtilizationRates(Pointer device, int[] utilization);

  int nvmlDeviceGetMemoryInfo(Pointer device, long[] memory);

  int nvmlDeviceGetTemperature(Pointer device, int sensorType, int[] celsius);

  int nvmlDeviceGetPowerUsage(Pointer device, int[] milliwatts);

  int nvmlDeviceGetClockInfo(Pointer device, int clockType, int[] mhz);
}
