package dev.trainlog.core;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.config.DispatcherPlanner;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.pipeline.BackendChannel;
import dev.trainlog.core.internal.pipeline.Journals;
import dev.trainlog.core.internal.pipeline.Shutdown;
import dev.trainlog.core.internal.pipeline.Watchdog;
import dev.trainlog.core.internal.system.SystemSampler;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.DispatcherDefaults;
import dev.trainlog.core.spec.DispatcherStats;
import dev.trainlog.core.spec.StepRegressionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one object a training loop talks to: {@code log(step, metrics)} appends the step once to a
 * journal of memory-mapped files, which survives a killed process; one worker per backend reads it
 * at its own pace, samples, batches and writes in the background. Nothing per backend happens on the
 * calling thread. Thread-safe.
 */
public final class LogDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  /** How long {@link #close()} and the shutdown hook wait for backends to deliver: 30 seconds. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = DispatcherDefaults.CLOSE_TIMEOUT;

  private final RunInfo run;
  private final List<BackendChannel> channels;
  private final Journal journal;
  private final Shutdown shutdown;
  private final StepOrder stepOrder;
  private final Clock clock;
  private final Duration closeTimeout;
  private final MetricsNormalizer normalizer = new MetricsNormalizer();
  private final AtomicLong logged = new AtomicLong();
  private final Refusals refusals;
  /** The highest sequence given to {@link #logImported}, or -1. */
  private final AtomicLong highestImported = new AtomicLong(-1);
  private volatile boolean shuttingDown;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean allDelivered;
  private final ShutdownHook shutdownHook;
  private volatile SystemSampler systemSampler;
  private final FileIntake files;

  LogDispatcher(RunInfo run, List<BackendChannel> channels, Journals journals, Watchdog watchdog, Clock clock,
      StepRegressionPolicy onStepRegression, Duration closeTimeout, boolean installShutdownHook, long maxImageSize) {
    this.run = run;
    this.files = new FileIntake(journals == null ? null : journals.own().blobs(), maxImageSize);
    this.channels = List.copyOf(channels);
    this.journal = journals == null ? null : journals.own();
    this.shutdown = new Shutdown(run, channels, journals, watchdog);
    this.stepOrder = new StepOrder(onStepRegression, journal == null ? Long.MIN_VALUE : journal.highestStep());
    this.clock = clock;
    this.refusals = new Refusals(run, clock);
    this.closeTimeout = closeTimeout;
    this.channels.forEach(BackendChannel::start);
    if (watchdog != null) {
      watchdog.start();
    }
    shutdownHook = new ShutdownHook(installShutdownHook, this::closeFromHook);
    log.info("TrainLog dispatcher for {}/{} (rank {}/{}) started with backends {}", run.experiment(), run.runName(),
        run.rank(), run.worldSize(), channels.stream().map(BackendChannel::name).toList());
  }

  /** A dispatcher configured by the YAML file at {@code path}; {@code ${VAR}} reads the environment. */
  public static LogDispatcher fromYaml(Path path) {
    return DispatcherBuilder.build(DispatcherPlanner.plan(path, Map.of()));
  }

  /** As {@link #fromYaml(Path)}, with {@code vars} taking precedence over the environment. */
  public static LogDispatcher fromYaml(Path path, Map<String, String> vars) {
    return DispatcherBuilder.build(DispatcherPlanner.plan(path, vars));
  }

  /**
   * As {@link #fromYaml(Path, Map)}, logging as {@code run} instead of the YAML's {@code run:} section
   * (which may then be left out): for importers that send several runs through one configuration.
   */
  public static LogDispatcher fromYaml(Path path, Map<String, String> vars, RunInfo run) {
    return DispatcherBuilder.build(DispatcherPlanner.plan(path, vars, Objects.requireNonNull(run, "run")));
  }

  /**
   * As {@link #fromYaml(Path, Map, RunInfo)} on {@code clock}, which the backends get too (a command that replays
   * another program's log gives them its times), {@code adjust} changing the builder last.
   */
  public static LogDispatcher fromYaml(Path path, Map<String, String> vars, RunInfo run, Clock clock,
      Consumer<DispatcherBuilder> adjust) {
    return DispatcherBuilder.build(DispatcherPlanner.plan(path, vars, Objects.requireNonNull(run, "run"), clock),
        Objects.requireNonNull(adjust, "adjust"));
  }

  /** A dispatcher configured by YAML text; {@code sourceName} appears in error messages. */
  public static LogDispatcher fromYaml(String yaml, String sourceName) {
    return DispatcherBuilder.build(DispatcherPlanner.plan(yaml, sourceName, Map.of()));
  }

  /** As {@link #fromYaml(String, String)}, with {@code vars} taking precedence over the environment. */
  public static LogDispatcher fromYaml(String yaml, String sourceName, Map<String, String> vars) {
    return DispatcherBuilder.build(DispatcherPlanner.plan(yaml, sourceName, vars));
  }

  /** A dispatcher configured by YAML read from {@code in}; {@code sourceName} appears in error messages. */
  public static LogDispatcher fromYaml(InputStream in, String sourceName) {
    return DispatcherBuilder.build(DispatcherPlanner.plan(in, sourceName, Map.of()));
  }

  /**
   * As {@link #fromYaml(Path, Map)} with only the configuration's backend {@code backend}, the others neither
   * checked nor opened: for resending to one backend ({@code trainlog resend}).
   *
   * @throws dev.trainlog.spi.ConfigException when the configuration has no enabled backend of that name,
   *     listing those it has
   */
  public static LogDispatcher fromYamlWithOneBackend(Path path, Map<String, String> vars, String backend) {
    return DispatcherBuilder.build(DispatcherPlanner.planOneBackend(path, vars, backend));
  }

  /** A builder for programmatic use: backend instances and samplers given directly. */
  public static DispatcherBuilder builder(RunInfo run) {
    return new DispatcherBuilder(run);
  }

  public RunInfo run() {
    return run;
  }

  /**
   * Logs one step. Values may be numbers, number arrays or lists (vectors), strings (text) or maps of
   * these (nested). Never waits on I/O under the default overflow policy.
   */
  public void log(long step, Map<String, ?> metrics) {
    submit(step, -1, -1, normalizer.normalize(step, metrics), false);
  }

  /** Logs one step past every sampler: for eval results, the last step, anything that must not be sampled out. */
  public void logForced(long step, Map<String, ?> metrics) {
    submit(step, -1, -1, normalizer.normalize(step, metrics), true);
  }

  /** Starts a fluent record: {@code step(n).scalar("loss", x).vector("gpu_util", u).log()}. */
  public StepBuilder step(long step) {
    return new StepBuilder(this, step);
  }

  /**
   * Logs a step read from elsewhere (an imported log) with its original wall time and the sequence
   * number of where it came from, so that importing the same data twice gives records of the same
   * {@link LogRecord#id()}. A sequence at or below one this dispatcher already gave (or one continued
   * after, {@link #continueImportAfter}) is raised to the next free one, so that journal order stays
   * sequence order; later {@code log()} calls continue after the highest one.
   */
  public void logImported(long step, long wallTimeMillis, long sequenceNumber, Map<String, ?> metrics) {
    if (sequenceNumber < 0) {
      throw new IllegalArgumentException("sequence must be >= 0 but was " + sequenceNumber);
    }
    long sequence = highestImported.accumulateAndGet(sequenceNumber, (last, given) -> Math.max(given, last + 1));
    submit(step, sequence, wallTimeMillis, normalizer.normalize(step, metrics), false);
  }

  /**
   * The highest sequence {@link #logImported} gave a record, or that {@link #close} gave what the samplers
   * still folded of an import; -1 when none: what a dispatcher opened next for the same run continues after.
   */
  public long lastImportedSequence() {
    return highestImported.get();
  }

  /** Numbers the records {@link #logImported} takes after {@code sequence}: for a run a closed dispatcher imported into. */
  public void continueImportAfter(long sequence) {
    highestImported.accumulateAndGet(sequence, Math::max);
  }

  /** From {@link StepBuilder}: its own map becomes the record's, normalised only if needed. */
  void logBuilt(long step, MetricMap metrics, boolean force) {
    submit(step, -1, -1, normalizer.normalizeBuilt(step, metrics), force);
  }

  private String closedReason() {
    return shuttingDown ? "logged after the JVM began to shut down (SIGTERM?) and closed the run"
        : "logged after close()";
  }

  /** A sequence or wall time of -1 is assigned here. */
  private void submit(long step, long seq, long wallTime, Map<String, Object> values, boolean force) {
    if (closed.get()) {
      refusals.refuse(closedReason());
      return;
    }
    if (!stepOrder.admit(step)) {
      return;
    }
    logged.incrementAndGet();
    if (journal == null) {
      return;
    }
    try {
      if (journal.append(run, step, seq, wallTime < 0 ? clock.millis() : wallTime, force, values) < 0) {
        // a close that began between the check above and this append: the same cause, said the same way
        refusals.refuse(closedReason());
      }
    } catch (IOException | InternalError e) {
      // InternalError: a mapped page could not be written (the device is full)
      refusals.refuse("the journal in " + journal.directory() + " could not take it: " + e);
    }
  }

  /** Starts the system-metrics thread (from the builder, once the dispatcher is running). */
  void startSystemMetrics(Duration interval, Path journalDir) {
    systemSampler = SystemSampler.start(interval, journalDir, System.getenv(), this::logSystem);
  }

  /**
   * A system reading, stamped with the step logged last (0 before any) and the wall time now: it bypasses the
   * step order, which it neither advances nor regresses, and is not counted in {@code stats().logged()}.
   */
  private void logSystem(Map<String, Object> metrics) {
    if (closed.get() || journal == null) {
      return;
    }
    long highest = stepOrder.highest();
    try {
      journal.append(run, highest == Long.MIN_VALUE ? 0 : highest, -1, clock.millis(), false, metrics);
    } catch (IOException | InternalError e) {
      // a journal that cannot take a reading refuses training steps too, and those are reported
      log.debug("TrainLog system metrics: the journal did not take a reading", e);
    }
  }

  /**
   * Logs a file ({@code checkpoints/step-500.safetensors}) or a directory (one artifact per file below
   * {@code name}) at the highest step logged so far (0 before any). The content is copied, or hard-linked
   * where the file system allows, beside the journal before this returns, so the original may be deleted
   * after; backends sample artifacts by their {@code sample.artifacts} rule (default: every one).
   *
   * @throws IllegalArgumentException when {@code path} does not exist or cannot be read, or the name is not
   *     a relative path
   */
  public void artifact(Path path, String name) {
    MetricMap.Builder m = MetricMap.builder(1);
    for (dev.trainlog.api.Artifact a : files.artifacts(path, name)) {
      m.put(a.name(), a);
    }
    long step = journal == null ? 0 : Math.max(0, journal.highestStep());
    submit(step, -1, -1, m.build(), false);
  }

  /**
   * Whether at least one backend would keep {@code key} at {@code step}, so a trainer can skip work nobody
   * logs: {@code if (log.wants("samples/grid", step)) { generate samples }}. Exact for step rules
   * ({@code every}, {@code first}, {@code log-spaced}, {@code always}); for {@code every-time} it answers
   * "would keep it if logged now", from the time the backend last kept that key's group; a custom
   * sampler is assumed to want it. Asks about a metric: the key's override, else the base rule. Forced
   * records and non-finite values pass every sampler whatever this says.
   */
  public boolean wants(String key, long step) {
    return wants(key, step, false);
  }

  /** As {@link #wants(String, long)} for an image under {@code key}: its override, else the {@code images} rule. */
  public boolean wantsImage(String key, long step) {
    return wants(key, step, true);
  }

  private boolean wants(String key, long step, boolean image) {
    long now = clock.millis();
    for (BackendChannel c : channels) {
      if (c.wants(key, step, now, image)) {
        return true;
      }
    }
    return false;
  }

  FileIntake files() {
    return files;
  }

  /** Waits up to {@code timeout} until every backend wrote everything logged so far; false on timeout. */
  public boolean flush(Duration timeout) {
    if (journal == null) {
      return true;
    }
    long head = journal.head();
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean all = true;
    for (BackendChannel c : channels) {
      all &= c.flush(head, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    return all;
  }

  /** Closes with {@link RunStatus#FINISHED} and the configured close timeout. */
  @Override
  public void close() {
    close(RunStatus.FINISHED);
  }

  /** Closes with {@code status} and the configured close timeout; returns whether everything was delivered. */
  public boolean close(RunStatus status) {
    return close(status, closeTimeout);
  }

  /**
   * Stops intake, lets every backend deliver what it holds and finish the run with {@code status},
   * waiting at most {@code timeout} in all. Idempotent. What was not delivered stays in the journal and
   * is named in a warning; returns whether everything was delivered. Records a backend refused for good
   * (dead letters, {@code stats().failed()}) count as delivered here, and are named in a warning too.
   */
  public boolean close(RunStatus status, Duration timeout) {
    Objects.requireNonNull(status, "status");
    if (!closed.compareAndSet(false, true)) {
      return allDelivered;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    SystemSampler sampler = systemSampler;
    if (sampler != null) {
      sampler.close();
    }
    if (journal != null) {
      journal.refuse();
    }
    // what samplers still hold folded is numbered after every logged record, so its id is its own; an
    // import's right after its highest imported sequence, so importing the same data again adds nothing
    long imported = highestImported.get();
    long closeSequence = journal == null ? 0 : imported >= 0 ? imported + 1 : journal.reserveSequence();
    if (imported >= 0) {
      highestImported.accumulateAndGet(closeSequence, Math::max); // taken: a run imported on continues after it
    }
    allDelivered = shutdown.close(status, deadline, closeSequence);
    shutdownHook.remove();
    return allDelivered;
  }

  /**
   * Runs {@code task} in the shutdown hook before it closes the run (on SIGTERM): what the task logs,
   * such as the last steps before a checkpoint is saved, is still delivered. Records the training
   * thread logs once the hook has begun closing are refused, counted and named in one warning.
   */
  public LogDispatcher beforeShutdown(Runnable task) {
    shutdownHook.add(task);
    return this;
  }

  private void closeFromHook() {
    if (closed.get()) {
      return;
    }
    shutdownHook.runTasks();
    log.warn("JVM shutting down with the TrainLog dispatcher still open; flushing and closing the run as KILLED");
    shuttingDown = true;
    long before = refusals.count();
    close(RunStatus.KILLED);
    refusals.reportShutdown(before);
  }

  /**
   * Resends the records kept in {@code dir} (a dead-letter directory, or a journal left behind)
   * through backend {@code backendName}'s worker, past its sampler, after the batch it is writing;
   * the directory is deleted once they are written. Returns how many records it holds. The
   * dead-letter directory of any backend of this dispatcher may be given while it runs.
   */
  public long resend(Path dir, String backendName) throws Exception {
    return Resend.into(channels, dir, backendName);
  }

  public DispatcherStats stats() {
    Map<String, BackendStats> byName = new LinkedHashMap<>();
    for (BackendChannel c : channels) {
      byName.put(c.name(), c.stats());
    }
    return new DispatcherStats(logged.get(), stepOrder.rejected(), refusals.count(), byName);
  }

  @Override
  public String toString() {
    return "LogDispatcher{" + run.experiment() + "/" + run.runName() + ", backends="
        + channels.stream().map(BackendChannel::name).toList() + "}";
  }
}
