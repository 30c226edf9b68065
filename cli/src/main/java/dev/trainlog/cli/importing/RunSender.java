package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.tensorboard.read.EventFileName;
import dev.trainlog.tensorboard.read.TbRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one TensorBoard run's steps through its own {@link LogDispatcher}, opened at the first step
 * so that the HParams session start written before it becomes the run's config. Sequences only
 * grow, even when an older event file of the run grows after a newer one.
 */
final class RunSender {

  /** The provenance entry naming the hosts that wrote the run's event files, comma-separated: {@value}. */
  static final String EVENT_FILE_HOSTS = "event_file_hosts";

  private static final Logger LOG = LoggerFactory.getLogger(RunSender.class);

  private final Path directory;
  private final RunNaming naming;
  private final YamlDispatchers dispatchers;
  private final RunEvents events;
  private Path firstFile;
  private final Set<Path> files = new HashSet<>();
  private final Set<String> hosts = new TreeSet<>();
  private Map<String, Object> hparams = new LinkedHashMap<>();
  private double firstWallTime = Double.NaN;
  private String endStatus;
  private LogDispatcher dispatcher;
  private ReplayClock clock;
  private long lastWallMillis = -1;
  /** The last sequence a closed dispatcher of this run numbered an imported record with, or -1. */
  private long lastSequence = -1;
  private long steps;
  private long sessionSteps;
  private boolean lateHparamsWarned;
  private boolean hparamsPreset;
  private boolean reopen;
  private long highestStep = Long.MIN_VALUE;

  RunSender(Path directory, RunNaming naming, YamlDispatchers dispatchers, RunEvents events) {
    this.events = events;
    this.directory = directory;
    this.naming = naming;
    this.dispatchers = dispatchers;
  }

  /** Hyperparameters found ahead (an import reads them before the steps): they become the run's config. */
  void presetHparams(Map<String, Object> found) {
    if (found != null && dispatcher == null) {
      hparams = AddHParams.config(found);
      hparamsPreset = true;
    }
  }

  /** Takes note of the run's event files on disk: the hosts that wrote them go into its provenance when it opens. */
  void noteFiles(List<Path> eventFiles) {
    for (Path file : eventFiles) {
      if (files.add(file)) {
        EventFileName.host(file).ifPresent(hosts::add);
      }
    }
  }

  /** Takes note of what a record of {@code file} says about the run: its start, hyperparameters and end. */
  void observe(Path file, TbRecord r) {
    if (firstFile == null) {
      firstFile = file;
    }
    if (r.wallTime() > 0 && (Double.isNaN(firstWallTime) || r.wallTime() < firstWallTime)) {
      firstWallTime = r.wallTime(); // the earliest seen when the run opens is its start
    }
    if (r.wallTime() > 0) {
      lastWallMillis = Math.max(lastWallMillis, Math.round(r.wallTime() * 1000));
    }
    boolean addHParams = AddHParams.isHParamsFile(file, directory);
    if (r.sessionStart() != null) {
      Map<String, Object> config = AddHParams.config(r.sessionStart().hparams());
      if (dispatcher == null) {
        hparams = config;
      } else if (addHParams && !config.equals(hparams)) {
        hparams = config; // add_hparams comes after the steps: the run is opened again with its config
        reopen = true;
      } else if (!lateHparamsWarned && !hparamsPreset) {
        lateHparamsWarned = true;
        LOG.warn("The hyperparameters of TensorBoard run {} come after its first steps, so they are not in the"
            + " config of run {}", directory, dispatcher.run().runId());
      }
    }
    if (r.sessionEndStatus() != null && !addHParams) { // add_hparams writes SUCCESS at once, whatever the run does
      endStatus = r.sessionEndStatus();
    }
  }

  /** Sends a step read from {@code file}; an {@code add_hparams} metric goes at the run's highest step so far. */
  void send(Path file, ImportedStep s) {
    long step = AddHParams.isHParamsFile(file, directory) ? Math.max(s.step(), highestStep) : s.step();
    String why = null;
    if (reopen && dispatcher != null) {
      close(RunStatus.FINISHED);
      why = "again, with the hyperparameters add_hparams wrote after its steps";
    }
    reopen = false;
    if (dispatcher == null) {
      long start = Double.isNaN(firstWallTime) ? s.wallTimeMillis() : Math.round(firstWallTime * 1000);
      clock = new ReplayClock(Clock.systemUTC());
      dispatcher = dispatchers.open(withHosts(naming.run(directory, firstFile, hparams, start)), clock);
      dispatcher.continueImportAfter(lastSequence); // it raises a sequence an earlier dispatcher of the run took
      sessionSteps = 0;
      events.opened(dispatcher.run(), why);
    }
    dispatcher.logImported(step, s.wallTimeMillis(), s.sequence(), s.metrics());
    highestStep = Math.max(highestStep, step);
    steps++;
    sessionSteps++;
  }

  /** {@code run} with the hosts that wrote its event files in its provenance. */
  private RunInfo withHosts(RunInfo run) {
    return hosts.isEmpty() ? run : run.toBuilder().provenance(Map.of(EVENT_FILE_HOSTS, String.join(",", hosts)))
        .build();
  }

  /** Steps the open dispatcher refused (it was closed from elsewhere, e.g. by its shutdown hook). */
  long refused() {
    return dispatcher == null ? 0 : dispatcher.stats().refused();
  }

  boolean isOpen() {
    return dispatcher != null;
  }

  /** The run's dispatcher while open, else null. */
  LogDispatcher dispatcher() {
    return dispatcher;
  }

  long steps() {
    return steps;
  }

  /**
   * How the HParams session end says the run ended ({@code FAILURE}: failed, {@code SUCCESS} or
   * {@code UNKNOWN}: finished), or null while there is no end ({@code RUNNING} or none).
   */
  RunStatus endStatus() {
    if (endStatus == null || endStatus.equals("RUNNING")) {
      return null;
    }
    return endStatus.equals("FAILURE") ? RunStatus.FAILED : RunStatus.FINISHED;
  }

  /** Forgets a session end once acted on, so that a run written to again is followed again. */
  void clearEnd() {
    endStatus = null;
  }

  /** Closes the dispatcher, if open, within its configured close timeout; returns whether everything was delivered. */
  boolean close(RunStatus status) {
    return close(status, null);
  }

  /**
   * Closes the dispatcher, if open, within {@code timeout} (null: the configured one), the run ending at its last
   * event's wall time; returns whether everything was delivered.
   */
  boolean close(RunStatus status, Duration timeout) {
    if (dispatcher == null) {
      return true;
    }
    if (lastWallMillis >= 0) {
      clock.endAt(lastWallMillis);
    }
    LogDispatcher closing = dispatcher;
    dispatcher = null;
    boolean delivered = timeout == null ? closing.close(status) : closing.close(status, timeout);
    lastSequence = closing.lastImportedSequence();
    events.closed(closing.run(), sessionSteps, status, closing.stats());
    return delivered;
  }
}
