package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.ConfigCheck;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.ProcessProvenance;
import dev.trainlog.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Opens a {@link LogDispatcher} per imported run from one YAML file, so that every run gets the
 * YAML's backends and their sampling. The YAML's {@code run:} section is not used (it may be left
 * out); {@code ${TRAINLOG_EXPERIMENT}} and {@code ${TRAINLOG_RUN_NAME}} expand to the run's names, for
 * settings that differ per run such as a JSON-lines {@code path}.
 */
public final class YamlDispatchers implements Function<RunInfo, LogDispatcher> {

  /** The variable that expands to each run's experiment: {@value}. */
  public static final String EXPERIMENT_VAR = "TRAINLOG_EXPERIMENT";
  /** The variable that expands to each run's name: {@value}. */
  public static final String RUN_NAME_VAR = "TRAINLOG_RUN_NAME";

  /** A stand-in for the runs to come while the YAML is checked: {@value}. */
  public static final String CHECKED_RUN = "(each run)";

  private final Path yaml;
  private final Map<String, String> vars;
  private final Path journalDir;
  private final ConfigCheck report;
  private Duration systemInterval;
  private Map<String, String> ownProvenance;

  /**
   * Checks {@code yaml} once, backends included, as each run will use it, so that every problem is
   * reported (a {@link ConfigException}) before anything is read or opened.
   */
  public YamlDispatchers(Path yaml, Map<String, String> vars) {
    if (!Files.isRegularFile(yaml)) {
      throw new IllegalArgumentException("--config " + yaml + " is not a file");
    }
    this.yaml = yaml;
    this.vars = Map.copyOf(vars);
    this.report = check(yaml, vars);
    this.journalDir = report.journal().dir();
  }

  /**
   * The YAML checked as {@code import} and {@code follow} use it: no {@code run:} section needed, and
   * {@code ${TRAINLOG_EXPERIMENT}} and {@code ${TRAINLOG_RUN_NAME}} known to be set per run.
   */
  public static ConfigCheck check(Path yaml, Map<String, String> vars) {
    Map<String, String> checkVars = new HashMap<>(vars);
    checkVars.putIfAbsent(EXPERIMENT_VAR, "${" + EXPERIMENT_VAR + "}");
    checkVars.putIfAbsent(RUN_NAME_VAR, "${" + RUN_NAME_VAR + "}");
    RunInfo placeholder = RunInfo.builder().experiment(CHECKED_RUN).runName(CHECKED_RUN).runId(CHECKED_RUN)
        .node(CHECKED_RUN).build();
    return ConfigCheck.ofGivenRun(yaml, checkVars, placeholder);
  }

  /** The dispatcher of {@code run} as a trainer's would be, with its shutdown hook ({@code follow --jsonl}). */
  @Override
  public LogDispatcher apply(RunInfo run) {
    return LogDispatcher.fromYaml(yaml, runVars(run), run);
  }

  /**
   * The dispatcher of {@code run}, its backends on {@code backendClock} (a {@link ReplayClock} ends the run at
   * its last event). It installs no shutdown hook: the command closes its runs itself on Ctrl-C or SIGTERM,
   * within the time it has, where every run's own hook would each wait its full close timeout.
   */
  LogDispatcher open(RunInfo run, Clock backendClock) {
    return open(run, backendClock, false);
  }

  /**
   * As {@link #open(RunInfo, Clock)}, with the dispatcher's own shutdown hook if {@code shutdownHook}. The run's
   * provenance is this process's (the follower's or importer's, with the YAML's text) plus what {@code run}
   * carries, such as the hosts that wrote the event files.
   */
  LogDispatcher open(RunInfo run, Clock backendClock, boolean shutdownHook) {
    Map<String, String> provenance = new LinkedHashMap<>(ownProvenance());
    provenance.putAll(run.provenance());
    return LogDispatcher.fromYaml(yaml, runVars(run), run.toBuilder().provenance(provenance).build(), backendClock,
        b -> {
          b.shutdownHook(shutdownHook).clock(Clock.systemUTC());
          if (systemInterval != null) {
            b.systemMetrics(systemInterval);
          }
        });
  }

  /**
   * Every run opened from now on also samples this machine's system metrics every {@code interval} ({@code follow
   * --system}), whatever the YAML's {@code system:} says; null leaves it to the YAML.
   */
  YamlDispatchers systemMetrics(Duration interval) {
    this.systemInterval = interval;
    return this;
  }

  /** Collected once: git, nvidia-smi and the YAML are asked at the first run, not at every one. */
  private Map<String, String> ownProvenance() {
    if (ownProvenance == null) {
      String text;
      try {
        text = Files.readString(yaml);
      } catch (IOException e) {
        text = null; // checked a moment ago; provenance is a courtesy
      }
      ownProvenance = ProcessProvenance.collect(text);
    }
    return ownProvenance;
  }

  private Map<String, String> runVars(RunInfo run) {
    Map<String, String> runVars = new HashMap<>(vars);
    runVars.put(EXPERIMENT_VAR, run.experiment());
    runVars.put(RUN_NAME_VAR, run.runName());
    return runVars;
  }

  /**
   * Delivers what journals under the journal-dir hold that processes now gone left (a follower killed while its
   * backends were behind) before anything new is read. A dispatcher of no run of its own ({@code TRAINLOG_RESEND},
   * as {@code trainlog resend}: each record goes under the run it carries) adopts them as any run's would, and
   * closes once they are written. Without it, a follower started again with nothing new to read opened no run, and
   * those records waited for one that never came. True when there were none or all were delivered within the
   * YAML's close-timeout.
   */
  public boolean deliverLeftovers(java.io.PrintWriter out) {
    if (!journalsLeft()) {
      return true;
    }
    out.println("delivering first what earlier processes left in " + journalDir);
    out.flush();
    String id = "leftovers-" + Long.toHexString(System.nanoTime());
    RunInfo none = RunInfo.builder().experiment("trainlog-follow").runName(id).runId(id).build();
    Map<String, String> resend = new HashMap<>(runVars(none));
    resend.put("TRAINLOG_RESEND", "true");
    LogDispatcher d = LogDispatcher.fromYaml(yaml, resend, none, Clock.systemUTC(), b -> b.shutdownHook(false));
    return d.close(dev.trainlog.api.RunStatus.FINISHED);
  }

  /** Whether a journal is under the journal-dir (a directory holding a journal's lock file). */
  private boolean journalsLeft() {
    if (!Files.isDirectory(journalDir)) {
      return false;
    }
    try (java.util.stream.Stream<Path> dirs = Files.list(journalDir)) {
      return dirs.anyMatch(d -> !d.getFileName().toString().startsWith(".") && Files.isRegularFile(d.resolve(
          "journal.lock")));
    } catch (IOException e) {
      return false;
    }
  }

  /** The YAML's backends as checked (settings redacted). */
  public List<ConfigCheck.Backend> backends() {
    return report.backends();
  }

  /** The YAML's {@code dispatcher.journal-dir}, where the follower keeps its state file too. */
  public Path journalDir() {
    return journalDir;
  }
}
