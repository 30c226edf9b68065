package dev.trainlog.mongodb;

import com.mongodb.ConnectionString;
import dev.trainlog.api.Secrets;
import dev.trainlog.mongodb.MongoBackendConfig.IndexConfig;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a {@link MongoBackendConfig} and reports every problem at once, keys relative to the backend. */
final class MongoConfigValidator {

  private static final Set<String> GRANULARITIES = Set.of("seconds", "minutes", "hours");
  private static final Set<String> INDEX_TYPES = Set.of("text", "2d", "2dsphere", "hashed");

  private final List<ConfigProblem> problems = new ArrayList<>();

  private MongoConfigValidator() {}

  /** Throws a {@link ConfigException} naming every invalid setting of {@code config}. */
  static void validate(MongoBackendConfig config) {
    MongoConfigValidator v = new MongoConfigValidator();
    v.checkUri(config);
    v.checkName("database", config.database());
    v.checkName("collection", config.collection());
    v.checkName("runs-collection", config.runsCollection());
    if (config.collection().equals(config.runsCollection())) {
      v.problems.add(ConfigProblem.invalid("runs-collection", config.runsCollection(),
          "different from `collection`: run documents and step documents have different shapes"));
    }
    v.checkWriteConcern(config.writeConcern());
    v.checkConfigSnapshot(config.configSnapshot());
    v.checkIndexes(config);
    v.checkTimeSeries(config);
    v.checkPositive("server-selection-timeout", config.serverSelectionTimeout());
    v.checkPositive("heartbeat-interval", config.heartbeatInterval());
    v.checkCredentials(config);
    if (!v.problems.isEmpty()) {
      throw new ConfigException(v.problems);
    }
  }

  private void checkUri(MongoBackendConfig config) {
    String uri = config.uri();
    if (uri.startsWith(EmbeddedMongo.SCHEME)) {
      if (uri.substring(EmbeddedMongo.SCHEME.length()).isBlank()) {
        problems.add(ConfigProblem.invalid("uri", uri, "'embedded:<directory>' with a directory"));
      }
      return;
    }
    if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
      problems.add(ConfigProblem.invalid("uri", Secrets.redactText(uri),
          "a 'mongodb://' or 'mongodb+srv://' connection string or 'embedded:<directory>'"));
      return;
    }
    try {
      new ConnectionString(uri);
    } catch (IllegalArgumentException e) {
      // the driver's message may quote the whole string, password included
      problems.add(ConfigProblem.invalid("uri", Secrets.redactText(uri),
          "a valid connection string (" + Secrets.redactText(e.getMessage()) + ")"));
    }
  }

  private void checkName(String key, String name) {
    if (name.isBlank() || name.contains("$") || name.indexOf('\0') >= 0 || name.startsWith(".")) {
      problems.add(ConfigProblem.invalid(key, name, "a non-empty name without '$', NUL or a leading '.'"));
    }
  }

  private void checkWriteConcern(MongoBackendConfig.WriteConcernConfig wc) {
    String w = wc.w().trim();
    if (w.equals("0")) {
      problems.add(ConfigProblem.invalid("write-concern.w", w, "1, a larger number or 'majority': "
          + "w:0 does not wait for the server and loses writes silently"));
    } else if (w.matches("-?\\d+") ? Long.parseLong(w) < 1 : w.isBlank()) {
      problems.add(ConfigProblem.invalid("write-concern.w", w, "1, a larger number or 'majority'"));
    }
    if (wc.timeout() != null && wc.timeout().isNegative()) {
      problems.add(ConfigProblem.invalid("write-concern.timeout", wc.timeout(), "zero or positive"));
    }
  }

  private void checkConfigSnapshot(List<String> keys) {
    if (keys == null) {
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (key == null || key.isBlank()) {
        problems.add(ConfigProblem.invalid("config-snapshot[" + i + "]", key, "a config key"));
      }
    }
  }

  private void checkIndexes(MongoBackendConfig config) {
    List<IndexConfig> indexes = config.indexes();
    for (int i = 0; i < indexes.size(); i++) {
      IndexConfig index = indexes.get(i);
      String key = "indexes[" + i + "]";
      if (index == null || index.keys() == null || index.keys().isEmpty()) {
        problems.add(ConfigProblem.invalid(key + ".keys", index == null ? null : index.keys(),
            "a non-empty map of field paths to 1, -1 or an index type"));
        continue;
      }
      for (Map.Entry<String, Object> e : index.keys().entrySet()) {
        Object dir = e.getValue();
        boolean ok = (dir instanceof Number && (((Number) dir).intValue() == 1 || ((Number) dir).intValue() == -1))
            || (dir instanceof String && INDEX_TYPES.contains(dir));
        if (!ok || e.getKey().isBlank() || e.getKey().startsWith("$")) {
          problems.add(ConfigProblem.invalid(key + ".keys." + e.getKey(), dir,
              "1, -1, 'text', '2d', '2dsphere' or 'hashed' on a field path not starting with '$'"));
        }
      }
      if (config.timeSeries() != null && Boolean.TRUE.equals(index.unique())) {
        problems.add(ConfigProblem.invalid(key + ".unique", true,
            "false with `time-series`: a time-series collection cannot enforce unique indexes"));
      }
    }
  }

  private void checkTimeSeries(MongoBackendConfig config) {
    MongoBackendConfig.TimeSeriesConfig ts = config.timeSeries();
    if (ts == null) {
      return;
    }
    if (ts.granularity() == null || !GRANULARITIES.contains(ts.granularity())) {
      problems.add(ConfigProblem.invalid("time-series.granularity", ts.granularity(),
          "one of seconds, minutes, hours"));
    }
    if (config.uri().startsWith(EmbeddedMongo.SCHEME)) {
      problems.add(new ConfigProblem("time-series", "is set but the embedded server has no time-series "
          + "collections (it would silently make a plain one): remove it or point `uri` at MongoDB 5.0+"));
    }
  }

  private void checkPositive(String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      problems.add(ConfigProblem.invalid(key, d, "a positive duration such as '5s'"));
    }
  }

  private void checkCredentials(MongoBackendConfig config) {
    boolean user = config.username() != null;
    boolean password = config.password() != null;
    if (user != password) {
      problems.add(new ConfigProblem(user ? "password" : "username",
          "is missing: `username` and `password` are set together (or come from MONGO_USERNAME/MONGO_PASSWORD)"));
    }
    if (user && config.uri().startsWith(EmbeddedMongo.SCHEME)) {
      problems.add(new ConfigProblem("username",
          "was set but the embedded server has no authentication: remove it or point `uri` at MongoDB"));
    }
  }
}
