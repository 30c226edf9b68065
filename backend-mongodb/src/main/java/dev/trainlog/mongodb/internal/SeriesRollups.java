package dev.trainlog.mongodb.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.METRICS;
import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_BUCKET_STEPS;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_ID_BUCKET;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_ID_PATH;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_ID_RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_ID_RUN;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the series rollups of the records the backend stored: per run, rank, scalar metric and bucket of
 * {@value dev.trainlog.mongodb.schema.StoreSchema#SERIES_BUCKET_STEPS} steps, one document that each flush replaces
 * (upsert) with the bucket as this process knows it, read back first when it was written by an earlier
 * process. Only records newly stored are folded in (never a replayed duplicate), so a resend counts nothing
 * twice. A failed rollup write never fails the steps: it is logged once and counted, and readers whose
 * rollup then disagrees with the run's summary read the steps instead.
 */
final class SeriesRollups {

  private static final Logger LOG = LoggerFactory.getLogger(SeriesRollups.class);

  /** Buckets kept in memory; steps mostly grow, so only the newest bucket of each series is hot: {@value}. */
  static final int CACHED_BUCKETS = 4096;

  private final String backend;
  private final MongoCollection<Document> rollups;
  private final Map<Key, SeriesBucket> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, SeriesBucket> eldest) {
      return size() > CACHED_BUCKETS;
    }
  };
  private final Map<Key, List<SeriesBucket.Point>> pending = new LinkedHashMap<>();
  private long failures;

  SeriesRollups(String backend, MongoCollection<Document> rollups) {
    this.backend = backend;
    this.rollups = rollups;
  }

  /** Creates the index on {@code run} (idempotent); a failure only costs readers a scan. */
  void prepare() {
    try {
      rollups.createIndex(Indexes.ascending(RUN));
    } catch (MongoException e) {
      // not a lost point: without it a reader scans the (small) rollup collection
      LOG.debug("MongoDB backend '{}': no index on the series rollups: {}", backend, MongoFailures.reason(e));
    }
  }

  /** Folds one newly stored record into its buckets at the next {@link #write}. */
  void add(LogRecord record) {
    add(record, METRICS, record.metrics());
  }

  @SuppressWarnings("unchecked")
  private void add(LogRecord record, String path, Map<String, Object> values) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String child = path + "." + KeyEscaping.escape(e.getKey());
      Object v = e.getValue();
      switch (MetricValues.kindOf(v)) {
        case SCALAR -> pending.computeIfAbsent(id(record, child), k -> new ArrayList<>())
            .add(new SeriesBucket.Point(record.step(), record.timestampMillis(), (Double) v));
        case NESTED -> add(record, child, (Map<String, Object>) v);
        case VECTOR, TEXT, IMAGE, ARTIFACT -> { } // charts are of scalars
      }
    }
  }

  private static Key id(LogRecord record, String path) {
    return Key.of(record.run().runId(), record.run().rank(), path, record.step());
  }

  /** A bucket's identity; a record rather than its {@code _id} document, which is slower to hash per point. */
  record Key(String run, int rank, String path, long bucket) {

    /** The bucket of {@code step} of one metric of one rank. */
    static Key of(String run, int rank, String path, long step) {
      return new Key(run, rank, path, Math.floorDiv(step, SERIES_BUCKET_STEPS));
    }

    Document toId() {
      return new Document(SERIES_ID_RUN, run).append(SERIES_ID_RANK, rank).append(SERIES_ID_PATH, path)
          .append(SERIES_ID_BUCKET, bucket);
    }

    static Key of(Document id) {
      return id.get(SERIES_ID_RANK) instanceof Number rank && id.get(SERIES_ID_BUCKET) instanceof Number bucket
          ? new Key(id.getString(SERIES_ID_RUN), rank.intValue(), id.getString(SERIES_ID_PATH), bucket.longValue())
          : null;
    }
  }

  /** Writes every bucket touched since the last call in one unordered bulk of upserts; never throws. */
  void write() {
    if (pending.isEmpty()) {
      return;
    }
    Map<Key, List<SeriesBucket.Point>> batch = new LinkedHashMap<>(pending);
    pending.clear();
    try {
      load(batch.keySet().stream().filter(k -> !cache.containsKey(k)).toList());
    } catch (MongoException e) {
      // without the stored buckets, replacing them would lose points: leave them short, readers fall back
      failed("read", e);
      return;
    }
    List<WriteModel<Document>> writes = new ArrayList<>(batch.size());
    batch.forEach((key, points) -> {
      SeriesBucket bucket = cache.computeIfAbsent(key, k -> new SeriesBucket());
      points.forEach(bucket::add);
      writes.add(upsert(key, bucket));
    });
    try {
      rollups.bulkWrite(writes, new BulkWriteOptions().ordered(false));
    } catch (MongoException e) {
      // the cached buckets still hold these points: the bucket's next write carries them
      failed("write", e);
    }
  }

  /** The write that stores {@code bucket} as the rollup document of {@code key}, replacing what is there. */
  static ReplaceOneModel<Document> upsert(Key key, SeriesBucket bucket) {
    Document id = key.toId();
    Document doc = new Document("_id", id).append(RUN, key.run()).append(RANK, key.rank());
    doc.putAll(bucket.toDocument());
    return new ReplaceOneModel<>(new Document("_id", id), doc, new ReplaceOptions().upsert(true));
  }

  private void load(List<Key> missing) {
    if (missing.isEmpty()) {
      return;
    }
    List<Document> ids = missing.stream().map(Key::toId).toList();
    for (Document d : rollups.find(new Document("_id", new Document("$in", ids)))) {
      Key key = d.get("_id") instanceof Document id ? Key.of(id) : null;
      if (key != null) {
        cache.put(key, SeriesBucket.from(d));
      }
    }
  }

  private void failed(String action, MongoException e) {
    failures++;
    if (failures == 1) {
      LOG.warn("MongoDB backend '{}': series rollup {} failed ({}); the steps are stored, charts of this run read"
          + " them in full; later rollup failures are only counted", backend, action, MongoFailures.reason(e));
    }
  }

  /** How many rollup reads and writes failed. */
  long failures() {
    return failures;
  }
}
