package dev.trainlog.core.internal.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that reads the machine every interval and hands the reading, keys under {@code
 * system/}, to a {@link Sink}. Nothing it meets is thrown: what cannot be read is named in one INFO
 * line at start (or when a GPU stops answering) and left out.
 */
public final class SystemSampler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SystemSampler.class);
  /** How long one {@code nvidia-smi} call may take before it is killed and GPUs are no longer read. */
  public static final Duration GPU_TIMEOUT = Duration.ofSeconds(5);

  /** Where a reading goes: the dispatcher appends it to its journal at the step logged last. */
  @FunctionalInterface
  public interface Sink {
    void append(Map<String, Object> metrics);
  }

  private final ScheduledExecutorService thread;
  private final HostProbe host;
  private volatile NvidiaSmi gpus;
  private final Sink sink;

  private SystemSampler(HostProbe host, NvidiaSmi gpus, Sink sink) {
    this.host = host;
    this.gpus = gpus;
    this.sink = sink;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "trainlog-system");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts sampling every {@code interval}: the first reading now (it sets the baseline of the rates),
   * then one per interval. {@code nvidia-smi} is looked up on {@code env}'s PATH.
   */
  public static SystemSampler start(Duration interval, Path journalDir, Map<String, String> env, Sink sink) {
    NvidiaSmi smi = NvidiaSmi.locate(env).map(p -> new NvidiaSmi(p, GPU_TIMEOUT)).orElse(null);
    HostProbe host;
    try {
      host = new HostProbe(journalDir);
    } catch (RuntimeException | LinkageError e) {
      log.info("TrainLog system metrics: this OS is not readable through OSHI ({}); only GPUs are sampled", e.toString());
      host = null;
    }
    SystemSampler s = new SystemSampler(host, smi, sink);
    s.thread.execute(() -> s.first(interval));
    s.thread.scheduleAtFixedRate(s::sampleQuietly, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    return s;
  }

  /** The first reading, which decides and logs what is collected. */
  private void first(Duration interval) {
    Map<String, Object> reading = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    if (host != null) {
      reading.putAll(host.sample(System.nanoTime()));
      missing.addAll(host.missing());
    } else {
      missing.add("CPU, memory, disk and network (OSHI)");
    }
    String gpuWord = readGpus(reading);
    long millis = interval.toMillis();
    log.info("TrainLog system metrics every {}: {}, {}", millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms",
        host == null ? "no host metrics" : "host via OSHI",
        gpuWord);
    if (!missing.isEmpty()) {
      log.info("TrainLog system metrics not collected on this machine: {}", String.join(", ", missing));
    }
    // the first reading has no rates yet; it is only a baseline, so it is not logged
  }

  private void sampleQuietly() {
    try {
      Map<String, Object> reading = new LinkedHashMap<>();
      if (host != null) {
        reading.putAll(host.sample(System.nanoTime()));
      }
      readGpus(reading);
      if (!reading.isEmpty()) {
        sink.append(reading);
      }
    } catch (RuntimeException | LinkageError e) {
      // never let a reading fault reach training or stop the schedule
      log.debug("TrainLog system metrics: a reading failed", e);
    }
  }

  /** Adds every GPU's metrics; says what was found ("no GPU", "2 GPUs via nvidia-smi"). */
  private String readGpus(Map<String, Object> reading) {
    NvidiaSmi smi = gpus;
    if (smi == null) {
      return "no GPU (nvidia-smi not on PATH)";
    }
    Optional<List<GpuSample>> found = smi.sample();
    if (found.isEmpty()) {
      gpus = null;
      log.info("TrainLog system metrics: nvidia-smi failed or did not answer within {}s; GPUs are not sampled",
          GPU_TIMEOUT.toSeconds());
      return "no GPU (nvidia-smi did not answer)";
    }
    found.get().forEach(g -> reading.putAll(g.metrics()));
    int n = found.get().size();
    return n == 0 ? "no GPU (nvidia-smi lists none)" : n + (n == 1 ? " GPU" : " GPUs") + " via nvidia-smi";
  }

  /** Stops the thread; a reading under way finishes but is not waited for. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
