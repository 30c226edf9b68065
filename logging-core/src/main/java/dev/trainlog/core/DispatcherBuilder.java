package dev.trainlog.core;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.config.BackendMaker;
import dev.trainlog.core.internal.pipeline.BackendChannel;
import dev.trainlog.core.internal.pipeline.DeadLetters;
import dev.trainlog.core.internal.pipeline.Gate;
import dev.trainlog.core.internal.pipeline.Journals;
import dev.trainlog.core.internal.pipeline.Source;
import dev.trainlog.core.internal.pipeline.Watchdog;
import dev.trainlog.core.internal.sampling.SamplerFactory;
import dev.trainlog.core.internal.system.Provenance;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.DispatcherDefaults;
import dev.trainlog.core.spec.Durability;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.core.spec.StepRegressionPolicy;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds a {@link LogDispatcher} without YAML: backends given as instances or made by type from settings, with their samplers. */
public final class DispatcherBuilder {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private final RunInfo run;
  private final List<Entry> entries = new ArrayList<>();
  private final Set<String> names = new LinkedHashSet<>();
  /** Each backend made by type's sampling in words, for {@code BackendContext.sampling()}. */
  private final Map<String, String> sampling = new LinkedHashMap<>();
  private Map<String, String> vars = Map.of();
  private Path journalDir = DispatcherDefaults.JOURNAL_DIR;
  private Path deadLetterDir = DispatcherDefaults.DEAD_LETTER_DIR;
  private Durability durability = DispatcherDefaults.DURABILITY;
  private Duration fsyncInterval = DispatcherDefaults.FSYNC_INTERVAL;
  private long journalMaxSize = DispatcherDefaults.JOURNAL_MAX_SIZE;
  private int segmentSize = DispatcherDefaults.SEGMENT_SIZE;
  private OnFull onFull = DispatcherDefaults.ON_FULL;
  private Clock clock = Clock.systemUTC();
  private boolean shutdownHook = DispatcherDefaults.SHUTDOWN_HOOK;
  private StepRegressionPolicy onStepRegression = DispatcherDefaults.ON_STEP_REGRESSION;
  private Duration closeTimeout = DispatcherDefaults.CLOSE_TIMEOUT;
  /** How often the machine is sampled under {@code system/}; null: not at all. */
  private Duration systemInterval;
  private long maxImageSize = DispatcherDefaults.MAX_IMAGE_SIZE;
  /** The YAML file this dispatcher is configured by, named in the resend command at close; null: none. */
  private Path configFile;
  /** A directory of kept records to deliver first, and to which backend; null: none. */
  private Path resendDir;
  private String resendBackend;

  DispatcherBuilder(RunInfo run) {
    // provenance before any backend is made by type: backends record the run they are given
    this.run = Provenance.attach(Objects.requireNonNull(run, "run"), null);
  }

  /** Adds a backend that keeps every step, with default worker settings. */
  public DispatcherBuilder backend(String name, LogBackend backend) {
    return backend(name, backend, Gate.ALWAYS, ChannelSettings.defaults());
  }

  /** Adds a backend sampled by {@code sample} (e.g. {@code SampleSpec.every(10).reduce(Reduce.MEAN)}). */
  public DispatcherBuilder backend(String name, LogBackend backend, SampleSpec sample, ChannelSettings settings) {
    backend(name, backend, SamplerFactory.recordSampler(sample), settings);
    sampling.putIfAbsent(name, sample.describe());
    return this;
  }

  /**
   * Adds a backend of an installed {@code type} ({@code tensorboard}, {@code mongodb}, {@code mlflow},
   * {@code jsonl}, {@code console}, a plugin's), made by its provider from {@code settings} as YAML's
   * {@code backends.<name>} would make it: {@code backend("tb", "tensorboard", Map.of("log-dir", "runs"),
   * SampleSpec.every(1), ChannelSettings.defaults())}. Settings are what the YAML section holds apart from
   * {@code type}, {@code sample} and the worker keys; variables a backend reads (credentials) come from
   * {@link #vars} first, then the environment.
   *
   * @throws dev.trainlog.spi.ConfigException listing every problem of the settings (keys {@code
   *     backends.<name>.<key>}), or the installed types when none is {@code type}
   */
  public DispatcherBuilder backend(String name, String type, Map<String, ?> settings, SampleSpec sample,
      ChannelSettings channel) {
    if (names.contains(Objects.requireNonNull(name, "name"))) {
      throw new IllegalArgumentException("a backend named '" + name + "' was added already");
    }
    sampling.put(name, sample.describe());
    LogBackend backend;
    try {
      backend = BackendMaker.make(name, Objects.requireNonNull(type, "type"), settings, vars, run, clock, sampling);
    } catch (RuntimeException e) {
      sampling.remove(name);
      throw e;
    }
    return backend(name, backend, sample, channel);
  }

  /** Adds a backend with a sampler made by hand; for tests of this package. */
  DispatcherBuilder backend(String name, LogBackend backend, Gate gate, ChannelSettings settings) {
    if (!names.add(Objects.requireNonNull(name, "name"))) {
      throw new IllegalArgumentException("a backend named '" + name + "' was added already");
    }
    entries.add(new Entry(name, Objects.requireNonNull(backend), Objects.requireNonNull(gate),
        Objects.requireNonNull(settings)));
    return this;
  }

  /**
   * Variables the backends added by type after this call read before the environment (credentials such
   * as {@code MONGO_PASSWORD}), as {@code LogDispatcher.fromYaml(path, vars)} gives them.
   */
  public DispatcherBuilder vars(Map<String, String> variables) {
    this.vars = Map.copyOf(variables);
    return this;
  }

  /** Where journals live: this run's is {@code <dir>/<run-id>-rank<r>}; default {@code .trainlog/journal}. */
  public DispatcherBuilder journalDir(Path dir) {
    this.journalDir = Objects.requireNonNull(dir);
    return this;
  }

  /** The journal directory under its former name. @deprecated use {@link #journalDir(Path)}. */
  @Deprecated
  public DispatcherBuilder spoolDir(Path dir) {
    return journalDir(dir);
  }

  /** The YAML file the dispatcher is configured by (set by {@code fromYaml}), for the resend command at close. */
  DispatcherBuilder configFile(Path file) {
    this.configFile = file;
    return this;
  }

  /** Where records a backend refused for good are kept, one directory per backend and rank. */
  public DispatcherBuilder deadLetterDir(Path dir) {
    this.deadLetterDir = Objects.requireNonNull(dir);
    return this;
  }

  /** {@code PROCESS} (default) survives a killed process; {@code FSYNC} also power loss, forced every interval. */
  public DispatcherBuilder durability(Durability durability, Duration fsyncInterval) {
    this.durability = Objects.requireNonNull(durability);
    this.fsyncInterval = Objects.requireNonNull(fsyncInterval);
    return this;
  }

  /** How large the journal may grow while a backend lags, and what a lagging backend then does by default. */
  public DispatcherBuilder journalLimit(long maxSizeBytes, OnFull policy) {
    if (maxSizeBytes < 1) {
      throw new IllegalArgumentException("maxSizeBytes must be positive but was " + maxSizeBytes);
    }
    this.journalMaxSize = maxSizeBytes;
    this.onFull = Objects.requireNonNull(policy);
    return this;
  }

  /** Bytes per journal segment file (default 64 MiB); tests use small ones. */
  public DispatcherBuilder journalSegmentSize(int bytes) {
    if (bytes < 4096) {
      throw new IllegalArgumentException("segment size must be at least 4096 bytes but was " + bytes);
    }
    this.segmentSize = bytes;
    return this;
  }

  /** The clock that stamps records' wall time and drives every pipeline timer; tests inject their own. */
  public DispatcherBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  /** Whether a JVM shutdown (SIGTERM) flushes and closes the run as KILLED; default true. */
  public DispatcherBuilder shutdownHook(boolean install) {
    this.shutdownHook = install;
    return this;
  }

  public DispatcherBuilder onStepRegression(StepRegressionPolicy policy) {
    this.onStepRegression = Objects.requireNonNull(policy);
    return this;
  }

  /**
   * Samples CPU, memory, disk, network and NVIDIA GPUs every {@code interval} on a daemon thread, logged
   * under {@code system/} at the step logged last (YAML {@code system: {enabled: true, interval: 10s}});
   * off by default.
   */
  public DispatcherBuilder systemMetrics(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the system metrics interval must be positive but was " + interval);
    }
    this.systemInterval = interval;
    return this;
  }

  public DispatcherBuilder closeTimeout(Duration timeout) {
    this.closeTimeout = Objects.requireNonNull(timeout);
    return this;
  }

  /** The largest encoded image {@code image()} accepts, in bytes; default {@link DispatcherDefaults#MAX_IMAGE_SIZE}. */
  public DispatcherBuilder maxImageSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("max-image-size must be positive but was " + bytes);
    }
    this.maxImageSize = bytes;
    return this;
  }

  /**
   * Delivers the records kept in {@code dir} (a dead-letter directory, or a journal left behind) to
   * backend {@code backendName} before anything else, past its sampler; the directory is deleted once
   * they are written ({@code trainlog resend}). {@link LogDispatcher#resentRecords()} says how many it holds.
   */
  public DispatcherBuilder resend(Path dir, String backendName) {
    this.resendDir = Objects.requireNonNull(dir, "dir");
    this.resendBackend = Objects.requireNonNull(backendName, "backendName");
    return this;
  }

  /**
   * Opens this run's journal (refused while another live process logs the same run id and rank),
   * adopts journals left by processes that are gone, and starts one worker per backend.
   */
  public LogDispatcher build() {
    if (entries.isEmpty()) {
      LogDispatcher nowhere = new LogDispatcher(run, List.of(), null, null, clock, onStepRegression, closeTimeout,
          shutdownHook, maxImageSize, configFile);
      log.warn("TrainLog dispatcher for {}/{} has no backend: what it is given is logged nowhere", run.experiment(),
          run.runName());
      return nowhere;
    }
    Journals journals;
    try {
      journals = Journals.open(journalDir, run, segmentSize, journalMaxSize);
    } catch (IOException e) {
      throw journalProblem(e);
    }
    try {
      Map<String, List<Source>> sources = new LinkedHashMap<>();
      for (Entry e : entries) {
        OnFull policy = e.settings().onFull() != null ? e.settings().onFull() : onFull;
        sources.put(e.name(), journals.sourcesFor(e.name(), policy == OnFull.BLOCK));
      }
      long resent = resendDir == null ? 0 : resendFirst(sources);
      journals.holdForeignCursors();
      String resumed = journals.resumeSummary(sources);
      if (!resumed.isEmpty()) {
        log.info("TrainLog resumes what processes that are gone left in {}: {}", journalDir, resumed);
      }
      List<BackendChannel> channels = new ArrayList<>();
      for (Entry e : entries) {
        List<Source> s = sources.get(e.name());
        DeadLetters deadLetters = new DeadLetters(deadLetterDir.resolve(e.name() + "-rank" + run.rank()));
        channels.add(new BackendChannel(e.name(), e.backend(), e.gate(), e.settings(), s, deadLetters, clock,
            journals.recordsBehind(s)));
      }
      Watchdog watchdog = new Watchdog(channels, journals.own(),
          durability == Durability.FSYNC ? fsyncInterval : null, clock);
      LogDispatcher dispatcher = new LogDispatcher(run, channels, journals, watchdog, clock, onStepRegression,
          closeTimeout, shutdownHook, maxImageSize, configFile);
      dispatcher.resentRecords = resent;
      if (systemInterval != null) {
        dispatcher.startSystemMetrics(systemInterval, journalDir);
      }
      return dispatcher;
    } catch (IOException | RuntimeException ex) {
      journals.close(true); // nothing was logged: a journal with nothing behind (one this start made) goes
      if (ex instanceof RuntimeException) {
        throw (RuntimeException) ex;
      }
      throw journalProblem((IOException) ex);
    }
  }

  /** The error for a journal that cannot be opened, with its cause in the message (a CLI prints only that). */
  private UncheckedIOException journalProblem(IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new UncheckedIOException("cannot open the TrainLog journal under " + journalDir.toAbsolutePath() + ": "
        + why, e);
  }

  /** Puts the resend first among its backend's sources; how many records it holds. */
  private long resendFirst(Map<String, List<Source>> sources) throws IOException {
    List<Source> of = sources.get(resendBackend);
    if (of == null) {
      throw new IllegalArgumentException("no backend named '" + resendBackend + "'; backends: " + names);
    }
    for (Source adopted : of) {
      // a journal under this dispatcher's own journal-dir (where a killed process leaves it, and what the warning
      // at close names) was adopted above as one left behind: the backend reads it from there
      if (sameDirectory(adopted.journal().directory(), resendDir)) {
        return adopted.behindAtStart();
      }
    }
    if (Files.isDirectory(resendDir) && sameDirectory(resendDir.toAbsolutePath().getParent(), journalDir)) {
      throw new IllegalArgumentException(resendDir + " is in this configuration's journal-dir but holds nothing for"
          + " backend '" + resendBackend + "' (it has no cursor there, or the journal is in use): a dispatcher"
          + " started with that journal-dir delivers it to the backends it was written for");
    }
    Source source = Resend.source(resendDir, resendBackend);
    of.add(0, source);
    return source.behindAtStart();
  }

  private static boolean sameDirectory(Path a, Path b) {
    return a != null && a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private record Entry(String name, LogBackend backend, Gate gate, ChannelSettings settings) {}
}
