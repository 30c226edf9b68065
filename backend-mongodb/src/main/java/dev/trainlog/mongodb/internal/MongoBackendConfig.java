package dev.trainlog.mongodb.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code type: mongodb} settings, read from YAML by {@link MongoSettingsReader} (kebab-case keys). Absent
 * keys take the defaults below.
 * How many documents one insert carries is the worker's {@code batch-size}: each batch is one insert.
 *
 * @param uri a {@code mongodb://} / {@code mongodb+srv://} connection string, or {@code embedded:<dir>}
 * @param database the database holding both collections
 * @param collection the collection with one document per kept record
 * @param runsCollection the collection with one document per run and rank
 * @param writeConcern how many members must acknowledge a write; w:0 is refused
 * @param configSnapshot the run config keys copied onto every document; absent means every scalar
 * @param indexes extra indexes created at open, besides the two built-in ones
 * @param timeSeries when present, the collection is created as a time-series collection
 * @param serverSelectionTimeout how long an operation waits for a reachable server before failing
 * @param username overrides {@code MONGO_USERNAME}; used when the URI carries no credentials
 * @param password overrides {@code MONGO_PASSWORD}; never logged
 * @param authSource the database the credentials are defined in when they do not come from the URI
 * @param heartbeatInterval how often the runs document's heartbeat and last step are refreshed
 */
public record MongoBackendConfig(
    String uri,
    String database,
    String collection,
    String runsCollection,
    WriteConcernConfig writeConcern,
    List<String> configSnapshot,
    List<IndexConfig> indexes,
    TimeSeriesConfig timeSeries,
    Duration serverSelectionTimeout,
    String username,
    String password,
    String authSource,
    Duration heartbeatInterval) {

  /** Where data goes when no {@code uri} is set: an in-process server persisted under this directory. */
  public static final String DEFAULT_URI = "embedded:trainlog-data/mongo";

  /** The database of the seed document: {@value}. */
  public static final String DEFAULT_DATABASE = "ai_training_logs";

  /** The collection the seed's queries run against: {@value}. */
  public static final String DEFAULT_COLLECTION = "experiments";

  /** One document per run and rank: {@value}. */
  public static final String DEFAULT_RUNS_COLLECTION = "runs";

  /** Acknowledged by the primary: {@value}. */
  public static final String DEFAULT_W = "1";

  /** Fail an operation after this long without a reachable server, so the core can retry: 5s. */
  public static final Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);

  /** Refresh the runs document at most this often: 10s. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  /** Credentials for the default {@code authSource}: {@value}. */
  public static final String DEFAULT_AUTH_SOURCE = "admin";

  /** Fills every absent setting with its default. */
  public MongoBackendConfig {
    uri = uri == null ? DEFAULT_URI : uri;
    database = database == null ? DEFAULT_DATABASE : database;
    collection = collection == null ? DEFAULT_COLLECTION : collection;
    runsCollection = runsCollection == null ? DEFAULT_RUNS_COLLECTION : runsCollection;
    writeConcern = writeConcern == null ? new WriteConcernConfig(null, null, null) : writeConcern;
    configSnapshot = configSnapshot == null ? null : List.copyOf(configSnapshot);
    indexes = indexes == null ? List.of() : List.copyOf(indexes);
    serverSelectionTimeout = serverSelectionTimeout == null ? DEFAULT_SERVER_SELECTION_TIMEOUT : serverSelectionTimeout;
    heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
  }

  /** Every setting at its default except the URI. */
  public static MongoBackendConfig forUri(String uri) {
    return new MongoBackendConfig(uri, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** A copy with another database and collection, e.g. one per test. */
  public MongoBackendConfig withCollection(String newDatabase, String newCollection) {
    return new MongoBackendConfig(uri, newDatabase, newCollection, runsCollection, writeConcern,
        configSnapshot, indexes, timeSeries, serverSelectionTimeout, username, password, authSource,
        heartbeatInterval);
  }

  /** Hides the password, in the URI and in {@code password}. */
  @Override
  public String toString() {
    return "MongoBackendConfig{uri=" + dev.trainlog.api.Secrets.redactText(uri) + ", database=" + database
        + ", collection=" + collection + ", runsCollection=" + runsCollection
        + ", writeConcern=" + writeConcern + ", configSnapshot=" + configSnapshot + ", indexes=" + indexes
        + ", timeSeries=" + timeSeries + ", serverSelectionTimeout=" + serverSelectionTimeout
        + ", username=" + username + ", password=" + (password == null ? null : dev.trainlog.api.RunInfo.REDACTED)
        + ", authSource=" + authSource + ", heartbeatInterval=" + heartbeatInterval + "}";
  }

  /**
   * {@code write-concern}: {@code w} is 1, a larger number or {@code majority}; {@code journal} asks
   * for an on-disk journal commit; {@code timeout} bounds the wait for replication.
   */
  public record WriteConcernConfig(String w, Boolean journal, Duration timeout) {
    public WriteConcernConfig {
      w = w == null ? DEFAULT_W : w;
    }
  }

  /** One entry of {@code indexes}: key paths to 1, -1 or a type such as "text"; name and unique optional. */
  public record IndexConfig(Map<String, Object> keys, String name, Boolean unique) {}

  /** {@code time-series}: the bucket granularity, seconds, minutes or hours. */
  public record TimeSeriesConfig(String granularity) {}
}
