package dev.trainlog.mongodb.internal;

import com.mongodb.ConnectionString;
import dev.trainlog.api.Secrets;
import dev.trainlog.mongodb.internal.MongoBackendConfig.IndexConfig;
import dev.trainlog.mongodb.internal.MongoBackendConfig.TimeSeriesConfig;
import dev.trainlog.mongodb.internal.MongoBackendConfig.WriteConcernConfig;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link MongoBackendConfig} through the settings view: typed reads for every key, plus the checks
 * only MongoDB knows (collection names, write concern, index keys, what the embedded server cannot do). Every
 * problem is recorded in the view; a bad value reads as its default.
 */
final class MongoSettingsReader {

  private static final Set<String> INDEX_TYPES = Set.of("text", "2d", "2dsphere", "hashed");

  private MongoSettingsReader() {}

  static MongoBackendConfig read(BackendSettings s) {
    String uri = uri(s);
    String database = name(s, "database", MongoBackendConfig.DEFAULT_DATABASE);
    String collection = name(s, "collection", MongoBackendConfig.DEFAULT_COLLECTION);
    String runsCollection = name(s, "runs-collection", MongoBackendConfig.DEFAULT_RUNS_COLLECTION);
    if (collection.equals(runsCollection)) {
      s.invalid("runs-collection", runsCollection,
          "different from `collection`: run documents and step documents have different shapes");
    }
    WriteConcernConfig writeConcern = writeConcern(s.section("write-concern"));
    List<String> configSnapshot = s.has("config-snapshot") ? configSnapshot(s) : null;
    boolean embedded = uri.startsWith(EmbeddedStores.SCHEME);
    TimeSeriesConfig timeSeries = null;
    if (s.has("time-series")) {
      timeSeries = new TimeSeriesConfig(s.section("time-series").oneOf("granularity", "seconds", "seconds", "minutes", "hours"));
      if (embedded) {
        s.problem("time-series", "is set but the embedded server has no time-series collections (it would silently "
            + "make a plain one): remove it or point `uri` at MongoDB 5.0+");
      }
    }
    List<IndexConfig> indexes = indexes(s, timeSeries != null);
    Duration serverSelectionTimeout = s.duration("server-selection-timeout",
        MongoBackendConfig.DEFAULT_SERVER_SELECTION_TIMEOUT);
    String username = s.text("username", null);
    Secret password = s.secret("password", null);
    if ((username == null) != (password == null)) {
      s.problem(username != null ? "password" : "username",
          "is missing: `username` and `password` are set together (or come from MONGO_USERNAME/MONGO_PASSWORD)");
    }
    if (username != null && embedded) {
      s.problem("username", "was set but the embedded server has no authentication: remove it or point `uri` at MongoDB");
    }
    return new MongoBackendConfig(uri, database, collection, runsCollection, writeConcern, configSnapshot, indexes,
        timeSeries, serverSelectionTimeout, username, password == null ? null : password.reveal(),
        s.text("auth-source", null), s.duration("heartbeat-interval", MongoBackendConfig.DEFAULT_HEARTBEAT_INTERVAL));
  }

  private static String uri(BackendSettings s) {
    String uri = s.text("uri", MongoBackendConfig.DEFAULT_URI);
    if (uri.startsWith(EmbeddedStores.SCHEME)) {
      if (uri.substring(EmbeddedStores.SCHEME.length()).isBlank()) {
        s.invalid("uri", uri, "'embedded:<directory>' with a directory");
      }
      return uri;
    }
    if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
      s.invalid("uri", uri, "a 'mongodb://' or 'mongodb+srv://' connection string or 'embedded:<directory>'");
      return uri;
    }
    try {
      new ConnectionString(uri);
    } catch (IllegalArgumentException e) {
      // the driver's message may quote the whole string, password included
      s.invalid("uri", uri, "a valid connection string (" + Secrets.redactText(e.getMessage()) + ")");
    }
    return uri;
  }

  private static String name(BackendSettings s, String key, String defaultName) {
    String name = s.text(key, defaultName);
    if (name.isBlank() || name.contains("$") || name.indexOf('\0') >= 0 || name.startsWith(".")) {
      s.invalid(key, name, "a non-empty name without '$', NUL or a leading '.'");
    }
    return name;
  }

  private static WriteConcernConfig writeConcern(BackendSettings wc) {
    String w = wc.text("w", MongoBackendConfig.DEFAULT_W).trim();
    if (w.equals("0")) {
      wc.invalid("w", w, "1, a larger number or 'majority': w:0 does not wait for the server and loses writes silently");
    } else if (w.matches("-?\\d+") ? Long.parseLong(w) < 1 : w.isBlank()) {
      wc.invalid("w", w, "1, a larger number or 'majority'");
    }
    Boolean journal = wc.has("journal") ? wc.bool("journal", false) : null;
    return new WriteConcernConfig(w, journal, wc.duration("timeout", null));
  }

  private static List<String> configSnapshot(BackendSettings s) {
    List<String> keys = s.textList("config-snapshot", List.of());
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).isBlank()) {
        s.invalid("config-snapshot[" + i + "]", keys.get(i), "a config key");
      }
    }
    return keys;
  }

  private static List<IndexConfig> indexes(BackendSettings s, boolean timeSeries) {
    List<IndexConfig> out = new ArrayList<>();
    for (BackendSettings index : s.sections("indexes")) {
      Map<String, String> written = index.textMap("keys");
      if (written.isEmpty()) {
        index.invalid("keys", written, "a non-empty map of field paths to 1, -1 or an index type");
      }
      Map<String, Object> keys = new LinkedHashMap<>();
      written.forEach((field, direction) -> {
        boolean ok = direction.equals("1") || direction.equals("-1") || INDEX_TYPES.contains(direction);
        if (!ok || field.isBlank() || field.startsWith("$")) {
          index.invalid("keys." + field, direction,
              "1, -1, 'text', '2d', '2dsphere' or 'hashed' on a field path not starting with '$'");
        }
        keys.put(field, direction.matches("-?1") ? (Object) Integer.parseInt(direction) : direction);
      });
      Boolean unique = index.has("unique") ? index.bool("unique", false) : null;
      if (timeSeries && Boolean.TRUE.equals(unique)) {
        index.invalid("unique", true, "false with `time-series`: a time-series collection cannot enforce unique indexes");
      }
      out.add(new IndexConfig(keys, index.text("name", null), unique));
    }
    return out;
  }
}
