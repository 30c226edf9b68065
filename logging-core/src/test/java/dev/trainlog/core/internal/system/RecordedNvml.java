package dev.trainlog.core.internal.system;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NVML answering with readings recorded from real devices, in the units and structs NVML returns (bytes,
 * milliwatts, {@code unsigned int}s): what the binding sees from {@code libnvidia-ml}, for machines
 * without a GPU. A field is {@code -1} when the device answers {@code NVML_ERROR_NOT_SUPPORTED}.
 */
final class RecordedNvml implements NvmlLibrary {

  /** One device's answers. */
  record Device(String name, int gpuPercent, long totalBytes, long usedBytes, int celsius, int milliwatts,
      int smMhz) {}

  /** An A100-SXM4-80GB at the reading nvidia-smi showed as {@code 37, 40536, 81920, 54, 212.45, 1410}. */
  static final Device A100 = new Device("NVIDIA A100-SXM4-80GB", 37, 81920L << 20, 40536L << 20, 54, 212_450, 1410);
  /** A MIG-mode A100 40GB: no whole-device utilisation. */
  static final Device MIG = new Device("NVIDIA A100-SXM4-40GB", -1, 40960L << 20, 13L << 20, 35, 48_230, 1410);

  final List<Device> devices;
  int initCode = SUCCESS;
  int lostAt = -1;
  boolean shutDown;

  RecordedNvml(List<Device> devices) {
    this.devices = devices;
  }

  @Override
  public int nvmlInit_v2() {
    return initCode;
  }

  @Override
  public int nvmlShutdown() {
    shutDown = true;
    return SUCCESS;
  }

  @Override
  public int nvmlDeviceGetCount_v2(int[] count) {
    count[0] = devices.size();
    return SUCCESS;
  }

  @Override
  public int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device) {
    device.setValue(new Pointer(index + 1));
    return SUCCESS;
  }

  private Device of(Pointer p) {
    return devices.get((int) Pointer.nativeValue(p) - 1);
  }

  @Override
  public int nvmlDeviceGetName(Pointer device, byte[] name, int length) {
    if (lostAt == Pointer.nativeValue(device) - 1) {
      return ERROR_GPU_IS_LOST;
    }
    byte[] b = of(device).name().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, name, 0, b.length);
    name[b.length] = 0;
    return SUCCESS;
  }

  @Override
  public int nvmlDeviceGetUtilizationRates(Pointer device, int[] utilization) {
    return fill(utilization, of(device).gpuPercent());
  }

  @Override
  public int nvmlDeviceGetMemoryInfo(Pointer device, long[] memory) {
    Device d = of(device);
    memory[0] = d.totalBytes();
    memory[1] = d.totalBytes() - d.usedBytes();
    memory[2] = d.usedBytes();
    return SUCCESS;
  }

  @Override
  public int nvmlDeviceGetTemperature(Pointer device, int sensorType, int[] celsius) {
    return sensorType == TEMPERATURE_GPU ? fill(celsius, of(device).celsius()) : ERROR_NOT_SUPPORTED;
  }

  @Override
  public int nvmlDeviceGetPowerUsage(Pointer device, int[] milliwatts) {
    return fill(milliwatts, of(device).milliwatts());
  }

  @Override
  public int nvmlDeviceGetClockInfo(Pointer device, int clockType, int[] mhz) {
    return clockType == CLOCK_SM ? fill(mhz, of(device).smMhz()) : ERROR_NOT_SUPPORTED;
  }

  private static int fill(int[] out, int value) {
    if (value == -1) {
      return ERROR_NOT_SUPPORTED;
    }
    out[0] = value;
    return SUCCESS;
  }
}
