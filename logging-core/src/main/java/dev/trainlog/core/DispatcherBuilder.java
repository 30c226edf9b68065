package dev.trainlog.core;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.config.DispatcherSection;
import dev.trainlog.core.config.StepRegressionPolicy;
import dev.trainlog.core.pipeline.Channel;
import dev.trainlog.core.pipeline.ChannelSettings;
import dev.trainlog.core.pipeline.Gate;
import dev.trainlog.core.sampling.SampleSpec;
import dev.trainlog.core.spool.DeadLetters;
import dev.trainlog.core.spool.Spool;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Builds a {@link LogDispatcher} from backend instances and samplers given directly, without YAML. */
public final class DispatcherBuilder {

  private final RunInfo run;
  private final List<Entry> entries = new ArrayList<>();
  private final Set<String> names = new LinkedHashSet<>();
  private Path spoolDir = DispatcherSection.DEFAULT_SPOOL_DIR;
  private Path deadLetterDir = DispatcherSection.DEFAULT_DEAD_LETTER_DIR;
  private Clock clock = Clock.systemUTC();
  private boolean shutdownHook = DispatcherSection.DEFAULT_SHUTDOWN_HOOK;
  private StepRegressionPolicy onStepRegression = DispatcherSection.DEFAULT_ON_STEP_REGRESSION;
  private Duration closeTimeout = DispatcherSection.DEFAULT_CLOSE_TIMEOUT;

  DispatcherBuilder(RunInfo run) {
    this.run = Objects.requireNonNull(run, "run");
  }

  /** Adds a backend that keeps every step, with default channel settings. */
  public DispatcherBuilder backend(String name, LogBackend backend) {
    return backend(name, backend, Gate.ALWAYS, ChannelSettings.defaults());
  }

  /** Adds a backend sampled by {@code sample} (e.g. {@code SampleSpec.every(10).reduce(Reduce.MEAN)}). */
  public DispatcherBuilder backend(String name, LogBackend backend, SampleSpec sample, ChannelSettings settings) {
    return backend(name, backend, sample.newSampler(), settings);
  }

  /** Adds a backend with its own gate (sampler) and channel settings. */
  public DispatcherBuilder backend(String name, LogBackend backend, Gate gate, ChannelSettings settings) {
    if (!names.add(Objects.requireNonNull(name, "name"))) {
      throw new IllegalArgumentException("a backend named '" + name + "' was added already");
    }
    entries.add(new Entry(name, Objects.requireNonNull(backend), Objects.requireNonNull(gate),
        Objects.requireNonNull(settings)));
    return this;
  }

  public DispatcherBuilder spoolDir(Path dir) {
    this.spoolDir = Objects.requireNonNull(dir);
    return this;
  }

  public DispatcherBuilder deadLetterDir(Path dir) {
    this.deadLetterDir = Objects.requireNonNull(dir);
    return this;
  }

  /** The clock that stamps records' wall time; tests inject a fixed or stepping one. */
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

  public DispatcherBuilder closeTimeout(Duration timeout) {
    this.closeTimeout = Objects.requireNonNull(timeout);
    return this;
  }

  /** Opens each channel's spool (resending what an earlier process left there) and starts the workers. */
  public LogDispatcher build() {
    List<Channel> channels = new ArrayList<>();
    List<Spool> opened = new ArrayList<>();
    try {
      for (Entry e : entries) {
        String dirName = e.name + "-rank" + run.rank();
        Spool spool = Spool.openFirstFree(spoolDir.resolve(dirName));
        opened.add(spool);
        DeadLetters deadLetters = new DeadLetters(deadLetterDir.resolve(dirName));
        channels.add(new Channel(e.name, e.backend, e.gate, e.settings, spool, deadLetters, clock));
      }
    } catch (IOException | RuntimeException ex) {
      // the spools opened so far are let go of, so that the next attempt in this process finds them free
      for (Spool spool : opened) {
        try {
          spool.close();
        } catch (IOException | RuntimeException suppressed) {
          ex.addSuppressed(suppressed);
        }
      }
      if (ex instanceof RuntimeException) {
        throw (RuntimeException) ex;
      }
      throw new UncheckedIOException("cannot open the TrainLog spool under " + spoolDir.toAbsolutePath(),
          (IOException) ex);
    }
    return new LogDispatcher(run, channels, clock, onStepRegression, closeTimeout, shutdownHook);
  }

  private static final class Entry {
    final String name;
    final LogBackend backend;
    final Gate gate;
    final ChannelSettings settings;

    Entry(String name, LogBackend backend, Gate gate, ChannelSettings settings) {
      this.name = name;
      this.backend = backend;
      this.gate = gate;
      this.settings = settings;
    }
  }
}
