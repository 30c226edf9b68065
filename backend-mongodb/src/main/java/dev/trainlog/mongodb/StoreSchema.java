package dev.trainlog.mongodb;

import dev.trainlog.mongodb.internal.KeyEscaping;

/**
 * The stored shape of the MongoDB backend in one place: collection defaults, the field names of a step
 * document and of a run's entry in the runs collection, and how metric keys become field names. Readers
 * of the store ({@code trainlog-query}, the command line) name fields through these constants.
 */
public final class StoreSchema {

  /** The store the backend writes to unless configured (the command line reads it too): {@value}. */
  public static final String DEFAULT_URI = "embedded:trainlog-data/mongo";
  /** The database the backend writes to unless configured: {@value}. */
  public static final String DEFAULT_DATABASE = "ai_training_logs";
  /** The step collection unless configured: {@value}. */
  public static final String DEFAULT_STEPS = "experiments";
  /** The runs collection unless configured: {@value}. */
  public static final String DEFAULT_RUNS = "runs";

  /** Step and runs documents: the experiment name. */
  public static final String EXPERIMENT = "exp_name";
  /** Step and runs documents: the run id. */
  public static final String RUN = "run";
  /** Step and runs documents: the process rank. */
  public static final String RANK = "rank";
  /** Step and runs documents: the node name. */
  public static final String NODE = "node";
  /** Step documents: the step number. */
  public static final String STEP = "step";
  /** Step documents: the nested metrics, keys escaped by {@link #escape}. */
  public static final String METRICS = "metrics";
  /** Step documents: when the step was logged; runs documents: the escaped full config. */
  public static final String TIMESTAMP = "timestamp";
  /** Step and runs documents: the config (a snapshot in steps, the whole redacted config in runs). */
  public static final String CONFIG = "config";
  /** Time-series step documents: the meta field holding experiment, run, rank and node. */
  public static final String EXP_META = "exp_meta";

  /** Runs documents: the human-readable run name. */
  public static final String RUN_NAME = "run_name";
  /** Runs documents: how many ranks the run has. */
  public static final String WORLD_SIZE = "world_size";
  /** Runs documents: the host that wrote the entry. */
  public static final String HOST = "host";
  /** Runs documents: the run's tags. */
  public static final String TAGS = "tags";
  /** Runs documents: running, finished, failed or killed. */
  public static final String STATUS = "status";
  /** Runs documents: when the run started. */
  public static final String START_TIME = "start_time";
  /** Runs documents: when the run ended (absent while it runs). */
  public static final String END_TIME = "end_time";
  /** Runs documents: the last liveness signal. */
  public static final String HEARTBEAT = "heartbeat";
  /** Runs documents: the heartbeat period, so a reader can tell a dead run. */
  public static final String HEARTBEAT_INTERVAL_MS = "heartbeat_interval_ms";
  /** Runs documents: the highest step stored. */
  public static final String LAST_STEP = "last_step";
  /** Runs documents: each backend of the dispatcher and its sampling in words. */
  public static final String BACKENDS = "backends";
  /** Runs documents: where the run's code and machine came from, when recorded. */
  public static final String PROVENANCE = "provenance";
  /** Runs documents: per scalar metric, the fields below ({@code path}, {@code count}, ...). */
  public static final String SUMMARY = "summary";

  /** Summary entries: the dotted path of the metric's values in a step document. */
  public static final String SUMMARY_PATH = "path";
  /** Summary entries: how many points were stored. */
  public static final String SUMMARY_COUNT = "count";
  /** Summary entries: the first step. */
  public static final String SUMMARY_FIRST_STEP = "first_step";
  /** Summary entries: the last step. */
  public static final String SUMMARY_LAST_STEP = "last_step";
  /** Summary entries: the value at the last step. */
  public static final String SUMMARY_LAST = "last";
  /** Summary entries: the finite minimum. */
  public static final String SUMMARY_MIN = "min";
  /** Summary entries: the finite maximum. */
  public static final String SUMMARY_MAX = "max";
  /** Summary entries: how many values were NaN or infinite. */
  public static final String SUMMARY_NAN = "nan";

  /** The status of a runs document while its run is alive: {@value}. */
  public static final String STATUS_RUNNING = "running";

  private StoreSchema() {}

  /**
   * The field name a metric or config key is stored under: '%', '.', a leading '$' and NUL are
   * percent-encoded (MongoDB cannot index or query them); a key needing no escape is returned as is.
   */
  public static String escape(String key) {
    return KeyEscaping.escape(key);
  }


  /** The key a stored field name came from: the inverse of {@link #escape}. */
  public static String unescape(String field) {
    return KeyEscaping.unescape(field);
  }


  /** The path of a top-level metric's values in a step document: {@code metrics.<escaped key>}. */
  public static String metricPath(String metric) {
    return METRICS + "." + escape(metric);
  }


}
