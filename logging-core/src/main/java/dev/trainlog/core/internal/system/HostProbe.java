package dev.trainlog.core.internal.system;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * This machine's CPU, memory, disk and network through OSHI, and the free space of the journal's file
 * system. Rates (CPU load, bytes per second) are over the time since the previous {@link #sample};
 * the first sample has none. A group the OS does not offer is named by {@link #missing} and skipped.
 */
final class HostProbe {

  private static final double MB = 1024.0 * 1024.0;

  private final HardwareAbstractionLayer hal;
  private final OperatingSystem os;
  private final int pid;
  private final Path journalDir;
  private final List<String> missing = new ArrayList<>();
  /** Disks and interfaces, listed once: listing them again each sample costs more than reading them. */
  private List<HWDiskStore> diskStores;
  private List<NetworkIF> networkIfs;
  private long[] prevTicks;
  private OSProcess prevProcess;
  private long prevNanos;
  private final CounterRates diskRates =
      new CounterRates("system/disk/read_bytes_per_s", "system/disk/write_bytes_per_s");
  private final CounterRates networkRates =
      new CounterRates("system/network/recv_bytes_per_s", "system/network/sent_bytes_per_s");

  HostProbe(Path journalDir) {
    SystemInfo si = new SystemInfo();
    this.hal = si.getHardware();
    this.os = si.getOperatingSystem();
    this.pid = os.getProcessId();
    this.journalDir = journalDir;
  }

  /** What this machine does not let the probe read (e.g. "disk I/O"), known after the first {@link #sample}. */
  List<String> missing() {
    return List.copyOf(missing);
  }

  /** One reading: keys under {@code system/}, values in the units their names say. */
  Map<String, Object> sample(long nanos) {
    Map<String, Object> out = new LinkedHashMap<>();
    double seconds = prevNanos == 0 ? 0 : (nanos - prevNanos) / 1e9;
    group("CPU", () -> cpu(out));
    group("process memory", () -> processMemory(out));
    group("JVM heap", () -> heap(out));
    group("host memory", () -> hostMemory(out));
    group("disk I/O", () -> disks(out, seconds));
    group("journal free space", () -> freeSpace(out));
    group("network", () -> network(out, seconds));
    prevNanos = nanos;
    return out;
  }

  private void group(String name, Runnable read) {
    if (missing.contains(name)) {
      return;
    }
    try {
      read.run();
    } catch (RuntimeException | LinkageError e) {
      // a container or an OS OSHI reads only partly: named once at start, never thrown at training
      missing.add(name);
    }
  }

  private void cpu(Map<String, Object> out) {
    CentralProcessor cpu = hal.getProcessor();
    OSProcess process = os.getProcess(pid);
    if (prevTicks != null) {
      out.put("system/cpu/host_percent", 100.0 * cpu.getSystemCpuLoadBetweenTicks(prevTicks));
      if (process != null && prevProcess != null) {
        // OSHI's load is a fraction of one core; divided by the cores it reads as the host's scale
        out.put("system/cpu/process_percent",
            100.0 * process.getProcessCpuLoadBetweenTicks(prevProcess) / cpu.getLogicalProcessorCount());
      }
    }
    prevTicks = cpu.getSystemCpuLoadTicks();
    prevProcess = process;
  }

  private void processMemory(Map<String, Object> out) {
    OSProcess process = prevProcess != null ? prevProcess : os.getProcess(pid);
    if (process == null || process.getResidentSetSize() <= 0) {
      throw new IllegalStateException("no resident set size");
    }
    out.put("system/memory/process_rss_mb", process.getResidentSetSize() / MB);
  }

  private static void heap(Map<String, Object> out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    out.put("system/memory/jvm_heap_used_mb", heap.getUsed() / MB);
    if (heap.getMax() > 0) {
      out.put("system/memory/jvm_heap_max_mb", heap.getMax() / MB);
    }
  }

  private void hostMemory(Map<String, Object> out) {
    GlobalMemory memory = hal.getMemory();
    long total = memory.getTotal();
    long available = memory.getAvailable();
    if (total <= 0) {
      throw new IllegalStateException("no host memory total");
    }
    out.put("system/memory/host_used_mb", (total - available) / MB);
    out.put("system/memory/host_available_mb", available / MB);
  }

  private void disks(Map<String, Object> out, double seconds) {
    if (diskStores == null) {
      diskStores = hal.getDiskStores();
    }
    List<HWDiskStore> stores = diskStores;
    if (stores.isEmpty()) {
      throw new IllegalStateException("no disk visible");
    }
    long read = 0;
    long written = 0;
    for (HWDiskStore d : stores) {
      d.updateAttributes();
      read += d.getReadBytes();
      written += d.getWriteBytes();
    }
    diskRates.put(out, read, written, seconds);
  }

  private void freeSpace(Map<String, Object> out) {
    try {
      Path existing = journalDir.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        throw new IllegalStateException("no journal directory");
      }
      out.put("system/disk/journal_free_gb", Files.getFileStore(existing).getUsableSpace() / (MB * 1024.0));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void network(Map<String, Object> out, double seconds) {
    if (networkIfs == null) {
      networkIfs = hal.getNetworkIFs(true);
    }
    List<NetworkIF> interfaces = networkIfs;
    long recv = 0;
    long sent = 0;
    for (NetworkIF n : interfaces) {
      n.updateAttributes();
      recv += n.getBytesRecv();
      sent += n.getBytesSent();
    }
    networkRates.put(out, recv, sent, seconds);
  }
}
