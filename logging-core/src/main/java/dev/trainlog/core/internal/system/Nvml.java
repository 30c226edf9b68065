package dev.trainlog.core.internal.system;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * NVIDIA GPUs read through NVML, the library {@code nvidia-smi} itself uses, in the sampler's own process:
 * no process started per reading. A field a device does not report ({@code NVML_ERROR_NOT_SUPPORTED}: a
 * MIG instance's utilisation, a consumer card's power) is NaN; any failure to list the devices ends GPU
 * reading, as a hanging {@code nvidia-smi} does.
 */
final class Nvml implements GpuSource {

  private static final double MIB = 1024.0 * 1024.0;

  private final NvmlLibrary lib;
  private final List<Pointer> devices;

  private Nvml(NvmlLibrary lib, List<Pointer> devices) {
    this.lib = lib;
    this.devices = devices;
  }

  /** The driver's {@code libnvidia-ml}, as JNA finds it ({@code nvidia-ml}, then the soname {@code libnvidia-ml.so.1}). */
  static NvmlLibrary loadNative() {
    try {
      return Native.load("nvidia-ml", NvmlLibrary.class);
    } catch (UnsatisfiedLinkError e) {
      return Native.load("libnvidia-ml.so.1", NvmlLibrary.class); // the driver ships no unversioned name
    }
  }

  /** NVML initialised with its devices listed, or why not (a sentence for the start line). */
  static Result open(Supplier<NvmlLibrary> loader) {
    NvmlLibrary lib;
    try {
      lib = loader.get();
    } catch (LinkageError | RuntimeException e) {
      return new Result(null, "libnvidia-ml not found");
    }
    int rc = lib.nvmlInit_v2();
    if (rc != NvmlLibrary.SUCCESS) {
      return new Result(null, "nvmlInit failed with code " + rc);
    }
    int[] count = new int[1];
    rc = lib.nvmlDeviceGetCount_v2(count);
    List<Pointer> devices = new ArrayList<>();
    for (int i = 0; rc == NvmlLibrary.SUCCESS && i < count[0]; i++) {
      PointerByReference device = new PointerByReference();
      rc = lib.nvmlDeviceGetHandleByIndex_v2(i, device);
      devices.add(device.getValue());
    }
    if (rc != NvmlLibrary.SUCCESS) {
      lib.nvmlShutdown();
      return new Result(null, "NVML could not list the GPUs (code " + rc + ")");
    }
    return new Result(new Nvml(lib, List.copyOf(devices)), null);
  }

  /** {@code nvml} when it opened, else {@code why} not. */
  record Result(Nvml nvml, String why) {}

  @Override
  public String name() {
    return "NVML";
  }

  @Override
  public Optional<List<GpuSample>> sample() {
    List<GpuSample> out = new ArrayList<>(devices.size());
    for (int i = 0; i < devices.size(); i++) {
      Pointer d = devices.get(i);
      byte[] name = new byte[NvmlLibrary.NAME_BUFFER_SIZE];
      int rc = lib.nvmlDeviceGetName(d, name, name.length);
      if (rc == NvmlLibrary.ERROR_GPU_IS_LOST) {
        return Optional.empty();
      }
      int[] util = new int[2];
      long[] memory = new long[3];
      int[] celsius = new int[1];
      int[] milliwatts = new int[1];
      int[] mhz = new int[1];
      double utilization = ok(lib.nvmlDeviceGetUtilizationRates(d, util)) ? unsigned(util[0]) : Double.NaN;
      boolean mem = ok(lib.nvmlDeviceGetMemoryInfo(d, memory));
      out.add(new GpuSample(i, rc == NvmlLibrary.SUCCESS ? cString(name) : "",
          utilization,
          mem ? memory[2] / MIB : Double.NaN,
          mem ? memory[0] / MIB : Double.NaN,
          ok(lib.nvmlDeviceGetTemperature(d, NvmlLibrary.TEMPERATURE_GPU, celsius)) ? unsigned(celsius[0]) : Double.NaN,
          ok(lib.nvmlDeviceGetPowerUsage(d, milliwatts)) ? unsigned(milliwatts[0]) / 1000.0 : Double.NaN,
          ok(lib.nvmlDeviceGetClockInfo(d, NvmlLibrary.CLOCK_SM, mhz)) ? unsigned(mhz[0]) : Double.NaN));
    }
    return Optional.of(out);
  }

  /** Releases NVML: a sampler that stops. */
  void close() {
    lib.nvmlShutdown();
  }

  private static boolean ok(int rc) {
    return rc == NvmlLibrary.SUCCESS;
  }

  /** NVML's {@code unsigned int}s, read into a Java {@code int}. */
  private static double unsigned(int value) {
    return Integer.toUnsignedLong(value);
  }

  /** A NUL-terminated {@code char[]} as NVML fills it. */
  static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }
}
