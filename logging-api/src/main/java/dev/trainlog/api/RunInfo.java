package dev.trainlog.api;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Who is logging: the experiment, the run and the process (rank) inside it, plus the run's tags and
 * its configuration snapshot. One instance is shared by every record of a dispatcher.
 *
 * <p>The tags and the config snapshot are redacted here, in the constructor, however the run was
 * built (from YAML, with the {@link Builder} or through {@link #toBuilder}): {@link Secrets#redact}
 * replaces the values of keys that look like secrets by {@value #REDACTED} and hides URI passwords.
 * What a backend receives, stores or prints from a run's tags and config therefore holds no secret
 * that rule recognises. Redacting is idempotent, so a run rebuilt from a redacted one is equal to it.
 */
public final class RunInfo {

  /** What a redacted secret reads as, everywhere TrainLog shows a value. */
  public static final String REDACTED = "****";

  private final String experiment;
  private final String runName;
  private final String runId;
  private final int rank;
  private final int worldSize;
  private final String node;
  private final Map<String, String> tags;
  private final Map<String, Object> config;
  private final long startTimeMillis;
  private final Map<String, String> provenance;

  private RunInfo(Builder b) {
    this.experiment = requireText(b.experiment, "experiment");
    this.runName = requireText(b.runName, "runName");
    this.runId = b.runId == null ? newRunId() : requireText(b.runId, "runId");
    if (b.rank < 0) {
      throw new IllegalArgumentException("rank must be >= 0 but was " + b.rank);
    }
    if (b.worldSize < 1 || b.rank >= b.worldSize) {
      throw new IllegalArgumentException(
          "worldSize must be >= 1 and greater than rank but was " + b.worldSize + " (rank " + b.rank + ")");
    }
    this.rank = b.rank;
    this.worldSize = b.worldSize;
    this.node = b.node == null ? localHostName() : requireText(b.node, "node");
    this.tags = Collections.unmodifiableMap(redactTags(b.tags));
    this.config = Collections.unmodifiableMap(Secrets.redact(b.config));
    this.startTimeMillis = b.startTimeMillis;
    this.provenance = Collections.unmodifiableMap(redactTags(b.provenance));
  }

  /** The tags with {@link Secrets#redact}'s rule applied; every value stays a string. */
  private static Map<String, String> redactTags(Map<String, String> tags) {
    Map<String, String> out = new LinkedHashMap<>();
    Secrets.redact(tags).forEach((key, value) -> out.put(key, (String) value));
    return out;
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /**
   * A builder; experiment and run name are required. A run id left unset is a new random one (32 hex
   * digits, as a YAML run without {@code run.id} gets), a node left unset is this machine's host name.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A new random run id: 32 hex digits. */
  public static String newRunId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** This machine's host name, which a run records as its node unless told otherwise; {@code localhost} when unknown. */
  public static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | SecurityException e) {
      return "localhost";
    }
  }

  /** A builder holding the same values, for deriving a run (another rank, a resumed run id). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.experiment = experiment;
    b.runName = runName;
    b.runId = runId;
    b.rank = rank;
    b.worldSize = worldSize;
    b.node = node;
    b.tags.putAll(tags);
    b.config.putAll(config);
    b.startTimeMillis = startTimeMillis;
    b.provenance.putAll(provenance);
    return b;
  }

  /** The experiment name, e.g. {@code sd-lora-anime-v4}; MongoDB stores it as {@code exp_name}. */
  public String experiment() {
    return experiment;
  }

  /** The human name of this run inside its experiment. */
  public String runName() {
    return runName;
  }

  /** A stable identity of the run, shared by all its ranks; part of every record's identity. */
  public String runId() {
    return runId;
  }

  public int rank() {
    return rank;
  }

  public int worldSize() {
    return worldSize;
  }

  /** The host (or node label) this rank runs on. */
  public String node() {
    return node;
  }

  /** The run's tags, secrets redacted. */
  public Map<String, String> tags() {
    return tags;
  }

  /** The run's hyperparameters, nested as configured, secrets redacted. */
  public Map<String, Object> config() {
    return config;
  }

  /** When the run started, epoch milliseconds. */
  public long startTimeMillis() {
    return startTimeMillis;
  }

  /**
   * What ran, recorded once at run start: git commit, branch and dirty flag, command line, versions and
   * the like (keys in the README), secrets redacted; empty when not collected. Not part of {@link #equals}:
   * the same run started again from another checkout is still the same run.
   */
  public Map<String, String> provenance() {
    return provenance;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RunInfo)) {
      return false;
    }
    RunInfo other = (RunInfo) o;
    return rank == other.rank
        && worldSize == other.worldSize
        && startTimeMillis == other.startTimeMillis
        && experiment.equals(other.experiment)
        && runName.equals(other.runName)
        && runId.equals(other.runId)
        && node.equals(other.node)
        && tags.equals(other.tags)
        && config.equals(other.config);
  }

  @Override
  public int hashCode() {
    return Objects.hash(experiment, runName, runId, rank, worldSize, node);
  }

  @Override
  public String toString() {
    return "RunInfo{experiment=" + experiment + ", run=" + runName + ", runId=" + runId + ", rank="
        + rank + "/" + worldSize + ", node=" + node + ", tags=" + tags + ", config=" + config + "}";
  }

  /** Builds a {@link RunInfo}; experiment, run name, run id and node are required. */
  public static final class Builder {
    private String experiment;
    private String runName;
    private String runId;
    private int rank;
    private int worldSize = 1;
    private String node;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, Object> config = new LinkedHashMap<>();
    private long startTimeMillis = System.currentTimeMillis();
    private final Map<String, String> provenance = new LinkedHashMap<>();

    private Builder() {}

    /** Replaces the provenance ({@link RunInfo#provenance}); redacted by {@link #build} like the tags. */
    public Builder provenance(Map<String, String> provenance) {
      this.provenance.clear();
      this.provenance.putAll(provenance);
      return this;
    }

    public Builder experiment(String experiment) {
      this.experiment = experiment;
      return this;
    }

    public Builder runName(String runName) {
      this.runName = runName;
      return this;
    }

    public Builder runId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder rank(int rank) {
      this.rank = rank;
      return this;
    }

    public Builder worldSize(int worldSize) {
      this.worldSize = worldSize;
      return this;
    }

    public Builder node(String node) {
      this.node = node;
      return this;
    }

    /** Adds a tag; like the config, it is redacted by {@link #build} when its key or value looks secret. */
    public Builder tag(String key, String value) {
      tags.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    public Builder tags(Map<String, String> tags) {
      tags.forEach(this::tag);
      return this;
    }

    /**
     * Replaces the config snapshot. It may hold secrets: {@link #build} redacts a copy, and the
     * given map is not modified.
     */
    public Builder config(Map<String, ?> config) {
      this.config.clear();
      this.config.putAll(config);
      return this;
    }

    public Builder startTimeMillis(long startTimeMillis) {
      this.startTimeMillis = startTimeMillis;
      return this;
    }

    /** The run, with secrets in its tags and config snapshot redacted. */
    public RunInfo build() {
      return new RunInfo(this);
    }
  }
}
