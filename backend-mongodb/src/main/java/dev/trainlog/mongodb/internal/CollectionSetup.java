package dev.trainlog.mongodb.internal;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.TimeSeriesGranularity;
import com.mongodb.client.model.TimeSeriesOptions;
import dev.trainlog.spi.BackendException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.Document;

/**
 * Prepares the step collection at open, idempotently: creates it as a time-series collection when
 * configured, then the built-in and the configured indexes (creating an existing index is a no-op).
 */
final class CollectionSetup {

  /** The built-in indexes: by experiment and step (the seed's comparison query) and by identity. */
  static final List<Document> DEFAULT_INDEXES = List.of(
      new Document("exp_name", 1).append("step", 1),
      new Document("run", 1).append("rank", 1).append("step", 1));

  /** The same two in time-series mode, where identity lives in the metaField. */
  static final List<Document> TIME_SERIES_INDEXES = List.of(
      new Document("exp_meta.exp_name", 1).append("timestamp", 1),
      new Document("exp_meta.run", 1).append("exp_meta.rank", 1).append("timestamp", 1));

  /** The metaField of a time-series collection: {@value}. */
  static final String META_FIELD = "exp_meta";

  /** The timeField of a time-series collection: {@value}. */
  static final String TIME_FIELD = "timestamp";

  private CollectionSetup() {}

  static void prepare(MongoDatabase db, MongoBackendConfig config) throws BackendException {
    String name = config.collection();
    if (config.timeSeries() != null) {
      createTimeSeries(db, name, config.timeSeries());
    }
    List<Document> keys = new ArrayList<>(config.timeSeries() == null ? DEFAULT_INDEXES : TIME_SERIES_INDEXES);
    var collection = db.getCollection(name);
    for (Document k : keys) {
      collection.createIndex(k);
    }
    for (MongoBackendConfig.IndexConfig index : config.indexes()) {
      IndexOptions options = new IndexOptions();
      if (index.name() != null) {
        options.name(index.name());
      }
      if (Boolean.TRUE.equals(index.unique())) {
        options.unique(true);
      }
      try {
        collection.createIndex(new Document(normalise(index.keys())), options);
      } catch (MongoCommandException e) {
        throw new BackendException("cannot create index " + index.keys() + " on " + name + ": "
            + e.getErrorMessage(), e, MongoFailures.isRetryable(e));
      }
    }
  }

  /** YAML gives 1 as Integer or Long and -1 likewise; the server wants ints. */
  private static Map<String, Object> normalise(Map<String, Object> keys) {
    Document out = new Document();
    keys.forEach((k, v) -> out.append(k, v instanceof Number ? ((Number) v).intValue() : v));
    return out;
  }

  private static void createTimeSeries(MongoDatabase db, String name, MongoBackendConfig.TimeSeriesConfig ts)
      throws BackendException {
    for (Document info : db.listCollections().filter(new Document("name", name))) {
      if (!"timeseries".equals(info.getString("type"))) {
        throw new BackendException("`time-series` is set but collection '" + name + "' already exists as a "
            + "plain collection (type '" + info.getString("type") + "'); a collection cannot be converted: "
            + "pick another `collection` or remove `time-series`", false);
      }
      return;
    }
    TimeSeriesOptions options = new TimeSeriesOptions(TIME_FIELD).metaField(META_FIELD)
        .granularity(TimeSeriesGranularity.valueOf(ts.granularity().toUpperCase(Locale.ROOT)));
    try {
      db.createCollection(name, new CreateCollectionOptions().timeSeriesOptions(options));
    } catch (MongoCommandException e) {
      // 48: created meanwhile by another rank
      if (e.getErrorCode() != 48) {
        throw e;
      }
    }
  }
}
