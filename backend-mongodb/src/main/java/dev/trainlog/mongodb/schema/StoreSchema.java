package dev.trainlog.mongodb.schema;

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
  /** Step documents: in an image's or artifact's reference under {@link #METRICS}, its GridFS file id. */
  public static final String GRIDFS_ID = "gridfs_id";
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

  /** The series rollup collection is named after the steps collection plus this suffix: {@value}. */
  public static final String SERIES_SUFFIX = "_series";
  /**
   * Steps per rollup bucket: {@value}. A bucket gives a chart two to four candidate points, so a 2,000-point
   * chart can come from the rollups of a series of 100k steps or more; a 1M-step series is 10,000 bucket documents.
   */
  public static final long SERIES_BUCKET_STEPS = 100;
  /** Non-finite points a rollup bucket keeps; past it the bucket says how many it dropped: {@value}. */
  public static final int SERIES_MAX_NON_FINITE = 64;

  /** Rollup documents: the {@code _id} fields, run, rank, metric path and bucket ({@code step / }{@link #SERIES_BUCKET_STEPS}). */
  public static final String SERIES_ID_RUN = "r";
  /** Rollup {@code _id}: the rank. */
  public static final String SERIES_ID_RANK = "k";
  /** Rollup {@code _id}: the metric's path in a step document (as {@link #SUMMARY_PATH}). */
  public static final String SERIES_ID_PATH = "p";
  /** Rollup {@code _id}: the bucket number. */
  public static final String SERIES_ID_BUCKET = "b";
  /** Rollup documents: how many points (finite or not) the bucket holds. */
  public static final String SERIES_COUNT = "count";
  /** Rollup documents: the point with the lowest step. */
  public static final String SERIES_FIRST = "first";
  /** Rollup documents: the point with the highest step. */
  public static final String SERIES_LAST = "last";
  /** Rollup documents: the point with the lowest finite value (absent when none is finite). */
  public static final String SERIES_MIN = "min";
  /** Rollup documents: the point with the highest finite value (absent when none is finite). */
  public static final String SERIES_MAX = "max";
  /** Rollup documents: the NaN and infinite points, at most {@link #SERIES_MAX_NON_FINITE}. */
  public static final String SERIES_NON_FINITE = "nonfinite";
  /** Rollup documents: how many NaN or infinite points the bucket holds (kept or not). */
  public static final String SERIES_NON_FINITE_COUNT = "nonfinite_count";
  /** Rollup points: the step. */
  public static final String POINT_STEP = "s";
  /** Rollup points: the wall time, epoch milliseconds. */
  public static final String POINT_TIME = "t";
  /** Rollup points: the value. */
  public static final String POINT_VALUE = "v";

  /** The status of a runs document while its run is alive: {@value}. */
  public static final String STATUS_RUNNING = "running";
  /**
   * The status of a runs document made from records that arrived after their run's process was gone (a
   * resend of dead letters, a journal it left) when that process never wrote the run's entry: {@value}; how
   * the run ended is not known.
   */
  public static final String STATUS_UNKNOWN = "unknown";

  private StoreSchema() {}

  /**
   * The field name a metric or config key is stored under: '%', '.', a leading '$' and NUL are
   * percent-encoded (MongoDB cannot index or query them); a key needing no escape is returned as is.
   */
  public static String escape(String key) {
    if (!needsEscape(key)) {
      return key;
    }
    StringBuilder sb = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '%') {
        sb.append("%25");
      } else if (c == '.') {
        sb.append("%2E");
      } else if (c == '$' && i == 0) {
        sb.append("%24");
      } else if (c == '\0') {
        sb.append("%00");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }


  /** The key a stored field name came from: the inverse of {@link #escape}. */
  public static String unescape(String field) {
    if (field.indexOf('%') < 0) {
      return field;
    }
    StringBuilder sb = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '%' && i + 2 < field.length()) {
        sb.append((char) Integer.parseInt(field.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }


  /** The path of a top-level metric's values in a step document: {@code metrics.<escaped key>}. */
  public static String metricPath(String metric) {
    return METRICS + "." + escape(metric);
  }

  /** The series rollup collection of {@code stepsCollection}: {@code <steps>_series}. */
  public static String seriesCollection(String stepsCollection) {
    return stepsCollection + SERIES_SUFFIX;
  }

  private static boolean needsEscape(String key) {
    return key.startsWith("$") || key.indexOf('.') >= 0 || key.indexOf('%') >= 0 || key.indexOf('\0') >= 0;
  }}
