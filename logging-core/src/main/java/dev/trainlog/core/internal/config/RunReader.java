package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.ConfigProblem;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Builds the {@link RunSection} from YAML, filling what is not configured from the environment. */
final class RunReader {

  /**
   * The hyperparameters; {@link ConfigAssembler} expands them so that a value that is one {@code ${VAR}} takes
   * its YAML type ({@code lora_rank: ${LORA_RANK}} stores 64), which {@code config.lora_rank: 64} queries need.
   */
  static final String CONFIG_KEY = "run.config";

  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Map<String, String> env;
  private final Clock clock;
  private final Supplier<String> hostName;

  RunReader(Map<String, String> env, Clock clock, Supplier<String> hostName) {
    this.env = env;
    this.clock = clock;
    this.hostName = hostName;
  }

  RunSection read(SectionReader r, ProblemList problems) {
    r.rejectUnknown(RunSection.KEYS);
    String experiment = r.requiredText("experiment");
    String name = r.text("name", null);
    if (name == null || name.isBlank()) {
      name = (experiment == null ? "run" : experiment) + "-" + NAME_TIME.format(clock.instant());
    }
    String id = r.text("id", null);
    if (id == null || id.isBlank()) {
      id = nonBlank(env.get("TRAINLOG_RUN_ID"), RunInfo.newRunId());
    }
    int rank = r.has("rank") ? r.nonNegativeInt("rank", 0) : fromEnv("RANK", "run.rank", 0, 0, problems);
    int worldSize = r.has("world-size")
        ? r.positiveInt("world-size", 1)
        : fromEnv("WORLD_SIZE", "run.world-size", 1, 1, problems);
    if (rank >= worldSize && !problems.has("run.rank") && !problems.has("run.world-size")) {
      problems.invalid("run.rank", rank, "less than run.world-size (" + worldSize + ")");
    }
    String node = r.text("node", null);
    if (node == null || node.isBlank()) {
      node = nonBlank(env.get("TRAINLOG_NODE"), null);
      if (node == null) {
        node = hostName.get();
      }
    }
    Map<String, String> tags = r.textMap("tags");
    Object config = r.raw("config");
    Map<String, Object> hyperparameters = new LinkedHashMap<>();
    if (config instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) config;
      hyperparameters = m;
    } else if (config != null) {
      problems.invalid(CONFIG_KEY, config, "a mapping of hyperparameters");
    }
    return new RunSection(experiment == null ? "" : experiment, name, id, rank, worldSize, node, tags,
        hyperparameters);
  }

  /** An integer from an environment variable such as RANK, which torchrun and friends set. */
  private int fromEnv(String variable, String key, int fallback, int min, ProblemList problems) {
    String raw = env.get(variable);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    Integer parsed = SectionReader.parseInt(raw);
    if (parsed == null || parsed < min) {
      problems.add(new ConfigProblem(key, "is not set and environment variable " + variable + " was '" + raw
          + "' but it must be " + (min == 0 ? "a non-negative integer" : "a positive integer")));
      return fallback;
    }
    return parsed;
  }

  private static String nonBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
