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
import java.util.function.Supplier;
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
  private final Map<String, String> env;
  private final Supplier<NvmlLibrary> nvml;
  private volatile GpuSource gpus;
  /** Why no GPU is read, once {@link #findGpus} decided. */
  private volatile String noGpu = "not looked for yet";
  private final Sink sink;

  private SystemSampler(HostProbe host, Map<String, String> env, Supplier<NvmlLibrary> nvml, Sink sink) {
    this.host = host;
    this.env = env;
    this.nvml = nvml;
    this.sink = sink;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "trainlog-system");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts sampling every {@code interval}: the first reading now (it sets the baseline of the rates),
   * then one per interval. GPUs are read through NVML when the driver's {@code libnvidia-ml} loads, else
   * through the {@code nvidia-smi} on {@code env}'s PATH.
   */
  public static SystemSampler start(Duration interval, Path journalDir, Map<String, String> env, Sink sink) {
    return start(interval, journalDir, env, Nvml::loadNative, sink);
  }

  /** As {@link #start(Duration, Path, Map, Sink)}, NVML loaded by {@code nvml}. */
  static SystemSampler start(Duration interval, Path journalDir, Map<String, String> env,
      Supplier<NvmlLibrary> nvml, Sink sink) {
    HostProbe host;
    try {
      host = new HostProbe(journalDir);
    } catch (RuntimeException | LinkageError e) {
      log.info("TrainLog system metrics: this OS is not readable through OSHI ({}); only GPUs are sampled", e.toString());
      host = null;
    }
    SystemSampler s = new SystemSampler(host, env, nvml, sink);
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
    findGpus();
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

  /** NVML first, {@code nvidia-smi} when NVML does not load or start; on the sampler thread, as NVML's start can take a while. */
  private void findGpus() {
    Nvml.Result opened = Nvml.open(nvml);
    if (opened.nvml() != null) {
      gpus = opened.nvml();
      return;
    }
    Optional<Path> smi = NvidiaSmi.locate(env);
    if (smi.isPresent()) {
      gpus = new NvidiaSmi(smi.get(), GPU_TIMEOUT);
      noGpu = opened.why();
    } else {
      noGpu = opened.why() + ", nvidia-smi not on PATH";
    }
  }

  /** Adds every GPU's metrics; says what was found ("2 GPUs via NVML", "1 GPU via nvidia-smi (...)", "no GPU (...)"). */
  private String readGpus(Map<String, Object> reading) {
    GpuSource source = gpus;
    if (source == null) {
      return "no GPU (" + noGpu + ")";
    }
    Optional<List<GpuSample>> found = source.sample();
    if (found.isEmpty()) {
      gpus = null;
      noGpu = source.name() + " did not answer";
      log.info("TrainLog system metrics: {} failed or did not answer (nvidia-smi within {}s); GPUs are not sampled",
          source.name(), GPU_TIMEOUT.toSeconds());
      return "no GPU (" + noGpu + ")";
    }
    found.get().forEach(g -> reading.putAll(g.metrics()));
    int n = found.get().size();
    if (n == 0) {
      return "no GPU (" + source.name() + " lists none)";
    }
    String word = n + (n == 1 ? " GPU" : " GPUs") + " via " + source.name();
    return source instanceof Nvml ? word : word + " (NVML: " + noGpu + ")";
  }

  /**
   * Takes one more reading, after the ones before it, so that a run shorter than the interval still has
   * one, waits for it at most {@code wait}, then stops.
   */
  public void closeWithLastReading(Duration wait) {
    try {
      thread.submit(this::sampleQuietly).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      log.debug("TrainLog system metrics: no last reading", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  /** Stops the thread; a reading under way finishes but is not waited for. */
  @Override
  public void close() {
    thread.shutdownNow();
    if (gpus instanceof Nvml nvmlOpen) {
      nvmlOpen.close(); // a reading under way gets NVML_ERROR_UNINITIALIZED, read as fields not offered
    }
  }
}
