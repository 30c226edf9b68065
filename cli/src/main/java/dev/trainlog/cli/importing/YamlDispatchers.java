package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.config.ConfigLoader;
import dev.trainlog.core.internal.config.TrainLogConfig;
import dev.trainlog.spi.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Opens a {@link LogDispatcher} per imported run from one YAML file, so that every run gets the
 * YAML's backends and their sampling. The YAML's {@code run:} section is not used (it may be left
 * out); {@code ${TRAINLOG_EXPERIMENT}} and {@code ${TRAINLOG_RUN_NAME}} expand to the run's names, for
 * settings that differ per run such as a JSON-lines {@code path}.
 */
public final class YamlDispatchers implements Function<RunInfo, LogDispatcher> {

  private final Path yaml;
  private final Map<String, String> vars;
  private final Path journalDir;

  /** Reads {@code yaml} once to report its problems before any run is read. */
  public YamlDispatchers(Path yaml, Map<String, String> vars) {
    if (!Files.isRegularFile(yaml)) {
      throw new IllegalArgumentException("--config " + yaml + " is not a file");
    }
    this.yaml = yaml;
    this.vars = Map.copyOf(vars);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(vars);
    env.putIfAbsent("TRAINLOG_EXPERIMENT", "experiment");
    env.putIfAbsent("TRAINLOG_RUN_NAME", "run");
    TrainLogConfig config = ConfigLoader.builder().env(env).collectProblems(true).build().load(yaml);
    String problems = config.problems().stream()
        .filter(p -> !p.key().equals("run") && !p.key().startsWith("run."))
        .map(ConfigProblem::message).collect(Collectors.joining("; "));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(yaml + ": " + problems);
    }
    this.journalDir = config.dispatcher().journalDir();
  }

  @Override
  public LogDispatcher apply(RunInfo run) {
    Map<String, String> runVars = new HashMap<>(vars);
    runVars.put("TRAINLOG_EXPERIMENT", run.experiment());
    runVars.put("TRAINLOG_RUN_NAME", run.runName());
    return LogDispatcher.fromYaml(yaml, runVars, run);
  }

  /** The YAML's {@code dispatcher.journal-dir}, where the follower keeps its state file too. */
  public Path journalDir() {
    return journalDir;
  }
}
