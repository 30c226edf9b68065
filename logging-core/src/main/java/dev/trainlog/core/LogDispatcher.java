package dev.trainlog.core;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.config.DispatcherPlanner;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.pipeline.BackendChannel;
import dev.trainlog.core.internal.pipeline.Channels;
import dev.trainlog.core.internal.pipeline.Journals;
import dev.trainlog.core.internal.pipeline.Shutdown;
import dev.trainlog.core.internal.pipeline.Watchdog;
import dev.trainlog.core.spec.DispatcherDefaults;
import dev.trainlog.core.spec.DispatcherStats;
import dev.trainlog.core.spec.StepRegressionPolicy;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  private final Channels channels;
  private final Journal journal;
  private final Shutdown shutdown;
  private final Clock clock;
  private final Intake intake;
  private final Duration closeTimeout;
  private volatile boolean allDelivered;
  /** Counted down when the close that stopped intake has ended ({@link #allDelivered} is its answer). */
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ShutdownHook shutdownHook;
  private final FileIntake files;
  /** Set by the builder: see {@link #resentRecords()}. */
  long resentRecords;

  /** This dispatcher's journals, or null without backends. */
  private final Journals journals;

  LogDispatcher(RunInfo run, List<BackendChannel> channels, Journals journals, Watchdog watchdog, Clock clock,
      StepRegressionPolicy onStepRegression, Duration closeTimeout, boolean installShutdownHook, long maxImageSize,
      Path configFile) {
    this.run = run;
    this.files = new FileIntake(journals == null ? null : journals.own().blobs(), maxImageSize, new Refusals(run, clock,
        "an image or artifact was not stored", "such files are", "image(s) or artifact(s) not stored",
        "stats().refusedFiles()"));
    this.channels = new Channels(channels);
    this.journal = journals == null ? null : journals.own();
    this.shutdown = new Shutdown(run, channels, journals, watchdog, configFile);
    this.journals = journals;
    this.clock = clock;
    this.intake = new Intake(run, journal, clock, onStepRegression);
    this.closeTimeout = closeTimeout;
    this.channels.start();
    if (watchdog != null) {
      watchdog.start();
    }
    shutdownHook = new ShutdownHook(installShutdownHook, this::closeFromHook);
    log.info("TrainLog dispatcher for {}/{} (rank {}/{}) started with backends {}", run.experiment(), run.runName(),
        run.rank(), run.worldSize(), this.channels.names());
  }

  /** A dispatcher configured by the YAML file at {@code path}; {@code ${VAR}} reads the environment. */
  public static LogDispatcher fromYaml(Path path) {
    return PlannedDispatcher.build(DispatcherPlanner.plan(path, Map.of()), b -> b.configFile(path));
  }

  /** As {@link #fromYaml(Path)}, with {@code vars} taking precedence over the environment. */
  public static LogDispatcher fromYaml(Path path, Map<String, String> vars) {
    return PlannedDispatcher.build(DispatcherPlanner.plan(path, vars), b -> b.configFile(path));
  }

  /**
   * As {@link #fromYaml(Path, Map)}, logging as {@code run} instead of the YAML's {@code run:} section
   * (which may then be left out): for importers that send several runs through one configuration.
   */
  public static LogDispatcher fromYaml(Path path, Map<String, String> vars, RunInfo run) {
    return PlannedDispatcher.build(DispatcherPlanner.plan(path, vars, Objects.requireNonNull(run, "run")),
        b -> b.configFile(path));
  }

  /**
   * As {@link #fromYaml(Path, Map, RunInfo)} on {@code clock}, which the backends get too (a command that replays
   * another program's log gives them its times), {@code adjust} changing the builder last.
   */
  public static LogDispatcher fromYaml(Path path, Map<String, String> vars, RunInfo run, Clock clock,
      Consumer<DispatcherBuilder> adjust) {
    Objects.requireNonNull(adjust, "adjust");
    return PlannedDispatcher.build(DispatcherPlanner.plan(path, vars, Objects.requireNonNull(run, "run"), clock),
        b -> adjust.accept(b.configFile(path)));
  }

  /** A dispatcher configured by YAML text; {@code sourceName} appears in error messages. */
  public static LogDispatcher fromYaml(String yaml, String sourceName) {
    return PlannedDispatcher.build(DispatcherPlanner.plan(yaml, sourceName, Map.of()));
  }

  /** As {@link #fromYaml(String, String)}, with {@code vars} taking precedence over the environment. */
  public static LogDispatcher fromYaml(String yaml, String sourceName, Map<String, String> vars) {
    return PlannedDispatcher.build(DispatcherPlanner.plan(yaml, sourceName, vars));
  }

  /** A dispatcher configured by YAML read from {@code in}; {@code sourceName} appears in error messages. */
  public static LogDispatcher fromYaml(InputStream in, String sourceName) {
    return PlannedDispatcher.build(DispatcherPlanner.plan(in, sourceName, Map.of()));
  }

  /**
   * As {@link #fromYaml(Path, Map)} with only the configuration's backend {@code backend}, the others neither
   * checked nor opened: for resending to one backend ({@code trainlog resend}).
   *
   * @throws dev.trainlog.spi.ConfigException when the configuration has no enabled backend of that name,
   *     listing those it has
   */
  public static LogDispatcher fromYamlWithOneBackend(Path path, Map<String, String> vars, String backend) {
    return PlannedDispatcher.build(DispatcherPlanner.planOneBackend(path, vars, backend), b -> b.configFile(path));
  }

  /**
   * As {@link #fromYamlWithOneBackend}, delivering first what {@code dir} keeps (a dead-letter directory, or a
   * journal left behind) to that backend, past its sampler; {@code dir} is deleted once it is written.
   */
  public static LogDispatcher resendFromYaml(Path path, Map<String, String> vars, String backend, Path dir) {
    return PlannedDispatcher.build(DispatcherPlanner.planOneBackend(path, vars, backend), b -> b.resend(dir, backend)
        .configFile(path));
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
    intake.log(step, metrics, false);
  }

  /** Logs one step past every sampler: for eval results, the last step, anything that must not be sampled out. */
  public void logForced(long step, Map<String, ?> metrics) {
    intake.log(step, metrics, true);
  }

  /** Starts a fluent record: {@code step(n).scalar("loss", x).vector("gpu_util", u).log()}. */
  public StepBuilder step(long step) {
    return new StepBuilder(intake, files, step);
  }

  /**
   * Logs a step read from elsewhere (an imported log) with its original wall time and the sequence
   * number of where it came from, so that importing the same data twice gives records of the same
   * {@link LogRecord#id()}. A sequence at or below one this dispatcher already gave (or one continued
   * after, {@link #continueImportAfter}) is raised to the next free one, so that journal order stays
   * sequence order; later {@code log()} calls continue after the highest one. Its step keeps its source's
   * order: {@code on-step-regression} does not apply to it.
   */
  public void logImported(long step, long wallTimeMillis, long sequenceNumber, Map<String, ?> metrics) {
    if (sequenceNumber < 0) {
      throw new IllegalArgumentException("sequence must be >= 0 but was " + sequenceNumber);
    }
    intake.logImported(step, wallTimeMillis, sequenceNumber, metrics);
  }

  /**
   * The highest sequence {@link #logImported} gave a record, or that {@link #close} gave what the samplers
   * still folded of an import; -1 when none: what a dispatcher opened next for the same run continues after.
   */
  public long lastImportedSequence() {
    return intake.lastImportedSequence();
  }

  /** Numbers the records {@link #logImported} takes after {@code sequence}: for a run a closed dispatcher imported into. */
  public void continueImportAfter(long sequence) {
    intake.continueImportAfter(sequence);
  }

  /** Starts the system-metrics thread (from the builder, once the dispatcher is running). */
  void startSystemMetrics(Duration interval, Path journalDir) {
    intake.startSystemMetrics(interval, journalDir);
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
    List<dev.trainlog.api.Artifact> stored = files.artifacts(path, name);
    if (!stored.isEmpty()) { // none when the store could write none of them (counted in stats().refusedFiles())
      intake.logArtifacts(stored);
    }
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
    return channels.wants(key, step, clock.millis(), image);
  }

  /** Waits up to {@code timeout} until every backend wrote everything logged so far; false on timeout. */
  public boolean flush(Duration timeout) {
    if (journal == null) {
      return true;
    }
    return channels.flush(journal.head(), timeout);
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
   * waiting at most {@code timeout} in all. Idempotent: a close while another thread's is under way waits for
   * it (as long) and answers as it does. What was not delivered stays in the journal and
   * is named in a warning; returns whether everything was delivered and every backend's own close returned (one
   * that did not may not have recorded the run's end status; a warning says so). Records a backend refused for good
   * (dead letters, {@code stats().failed()}) count as delivered here, and are named in a warning too.
   */
  public boolean close(RunStatus status, Duration timeout) {
    Objects.requireNonNull(status, "status");
    if (!intake.close()) {
      return closeUnderWay(timeout);
    }
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      if (journals != null) {
        journals.recordEnd(status, clock.millis()); // for whoever delivers what this close leaves behind
      }
      allDelivered = shutdown.close(status, deadline, intake.closeSequence());
      shutdownHook.remove();
    } finally {
      closed.countDown();
    }
    return allDelivered;
  }

  /**
   * A close begun by another thread (or ended): what it delivered, once it has ended, waiting at most {@code
   * timeout} and a backend's close grace; false when it has not ended by then. Intake stopped tells a close began,
   * not that it ended: answered at once, it said "not delivered" of what that close was still delivering.
   */
  private boolean closeUnderWay(Duration timeout) {
    try {
      if (!closed.await(timeout.toMillis() + BackendChannel.CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
    if (intake.isClosed()) {
      // a close under way on another thread: the JVM exits once the hooks return, so this one waits for it
      closeUnderWay(closeTimeout);
      return;
    }
    shutdownHook.runTasks();
    log.warn("JVM shutting down with the TrainLog dispatcher still open; flushing and closing the run as KILLED");
    intake.shuttingDown();
    long before = intake.refusals().count();
    close(RunStatus.KILLED);
    intake.refusals().reportShutdown(before);
  }

  /** How many records the directory given to {@link DispatcherBuilder#resend} holds; 0 without one. */
  public long resentRecords() {
    return resentRecords;
  }

  public DispatcherStats stats() {
    return new DispatcherStats(intake.logged(), intake.rejected(), intake.refusals().count(), files.refusedCount(),
        channels.stats());
  }

  @Override
  public String toString() {
    return "LogDispatcher{" + run.experiment() + "/" + run.runName() + ", backends="
        + channels.names() + "}";
  }
}
