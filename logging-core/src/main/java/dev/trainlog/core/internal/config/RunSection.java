package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.Secrets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code run:} section: who is logging. The tags and hyperparameters in {@link #config()} are
 * kept as written (not redacted) so the program can read them; the {@link RunInfo} made by {@link
 * #toRunInfo} redacts both before any backend sees them.
 */
public final class RunSection {

  static final List<String> KEYS = List.of("experiment", "name", "id", "rank", "world-size", "node", "tags", "config");

  private final String experiment;
  private final String name;
  private final String id;
  private final int rank;
  private final int worldSize;
  private final String node;
  private final Map<String, String> tags;
  private final Map<String, Object> config;

  /** All values are required; {@code config} is copied as is (nested maps stay mutable copies of the YAML). */
  public RunSection(String experiment, String name, String id, int rank, int worldSize, String node,
      Map<String, String> tags, Map<String, Object> config) {
    this.experiment = Objects.requireNonNull(experiment, "experiment");
    this.name = Objects.requireNonNull(name, "name");
    this.id = Objects.requireNonNull(id, "id");
    this.rank = rank;
    this.worldSize = worldSize;
    this.node = Objects.requireNonNull(node, "node");
    this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  public String experiment() {
    return experiment;
  }

  /** The run name; {@code <experiment>-<yyyyMMdd-HHmmss>} (UTC) when not configured. */
  public String name() {
    return name;
  }

  /** The run id shared by all ranks; from {@code TRAINLOG_RUN_ID} or random when not configured. */
  public String id() {
    return id;
  }

  public int rank() {
    return rank;
  }

  public int worldSize() {
    return worldSize;
  }

  public String node() {
    return node;
  }

  /** The tags exactly as configured, secrets included. */
  public Map<String, String> tags() {
    return tags;
  }

  /** The hyperparameters exactly as configured (after {@code ${VAR}} expansion), secrets included. */
  public Map<String, Object> config() {
    return config;
  }

  /** The run identity every record carries; {@link RunInfo} redacts secrets in its tags and config snapshot. */
  public RunInfo toRunInfo(long startMillis) {
    return RunInfo.builder()
        .experiment(experiment)
        .runName(name)
        .runId(id)
        .rank(rank)
        .worldSize(worldSize)
        .node(node)
        .tags(tags)
        .config(config)
        .startTimeMillis(startMillis)
        .build();
  }

  @Override
  public String toString() {
    return "RunSection{experiment=" + experiment + ", name=" + name + ", id=" + id + ", rank=" + rank + "/"
        + worldSize + ", node=" + node + ", tags=" + Secrets.redact(tags) + ", config=" + Secrets.redact(config) + "}";
  }
}
