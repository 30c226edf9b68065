package dev.trainlog.mongodb.internal;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import dev.trainlog.api.LogRecord;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.RawBsonDocument;
import org.bson.Document;
import com.mongodb.MongoClientSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a replay from a collision among records whose {@code _id} is already stored. A replay has
 * the wall time of the stored document; a record with another wall time is a different record under
 * the same run id, rank, step and sequence (a run resumed with its id where the journal directory's
 * {@code .sequences} file is not, such as on another machine). Such records are stored under an
 * {@code _id} that adds their wall time, with a warning, never dropped as replays.
 */
final class IdCollisions {

  private static final Logger LOG = LoggerFactory.getLogger(MongoBackend.class);

  private final String backend;
  private final DocumentMapper mapper;
  private long stored;

  IdCollisions(String backend, DocumentMapper mapper) {
    this.backend = backend;
    this.mapper = mapper;
  }

  /**
   * Stores the colliding ones among {@code duplicates}; returns them (the rest are replays). {@code movedIds}:
   * the GridFS ids of a record's files that are not {@code <run id>/<content id>} ({@link GridFsFiles#store}).
   */
  List<LogRecord> resolve(MongoCollection<RawBsonDocument> steps, List<LogRecord> duplicates,
      Map<LogRecord, Map<String, String>> movedIds) {
    Map<String, LogRecord> byId = new HashMap<>();
    duplicates.forEach(r -> byId.put(DocumentMapper.id(r), r));
    List<LogRecord> colliding = new ArrayList<>();
    for (RawBsonDocument existing : steps.find(Filters.in("_id", byId.keySet()))
        .projection(Projections.include("timestamp"))) {
      LogRecord r = byId.get(existing.getString("_id").getValue());
      Date at = existing.containsKey("timestamp") ? new Date(existing.getDateTime("timestamp").getValue()) : null;
      if (r != null && at != null && at.getTime() != r.timestampMillis()) {
        colliding.add(r);
      }
    }
    if (colliding.isEmpty()) {
      return colliding;
    }
    List<RawBsonDocument> docs = new ArrayList<>();
    for (LogRecord r : colliding) {
      Document doc = mapper.toDocument(r, movedIds.getOrDefault(r, Map.of()));
      doc.put("_id", DocumentMapper.id(r) + "@" + r.timestampMillis());
      docs.add(new RawBsonDocument(doc, MongoClientSettings.getDefaultCodecRegistry().get(Document.class)));
    }
    try {
      steps.insertMany(docs, new InsertManyOptions().ordered(false));
    } catch (MongoBulkWriteException replayed) {
      // a retried batch finds these stored already under their own _id: nothing more to do
    }
    if (stored == 0) {
      LOG.warn("Backend '{}': {} record(s) of run {} have the identity (run, rank, step, sequence) of records"
          + " stored earlier with another wall time (a run resumed with its id on another machine or journal-dir?);"
          + " they are stored beside them under <_id>@<wall time millis>", backend, colliding.size(),
          colliding.get(0).run().runId());
    }
    stored += colliding.size();
    return colliding;
  }

  /** Records stored under a wall-time _id so far. */
  long stored() {
    return stored;
  }
}
