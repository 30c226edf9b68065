package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.HEARTBEAT;
import static dev.trainlog.mongodb.schema.StoreSchema.LAST_STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STATUS;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.TIMESTAMP;

import com.mongodb.client.MongoCollection;
import dev.trainlog.query.spec.RankDelivery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Per rank of a run: its runs document (status, last heartbeat and the step it reported) and its newest
 * step document, found through the {@code run, rank, step} index with one sorted, limited read.
 */
public final class DeliveryRead {

  private DeliveryRead() {}

  /** Each rank of {@code run} the runs collection knows, lowest first. */
  public static List<RankDelivery> read(MongoCollection<Document> runs, MongoCollection<Document> steps, String run) {
    List<Document> docs = runs.find(new Document(RUN, run)).into(new ArrayList<>());
    docs.sort(Comparator.comparingInt(d -> d.get(RANK) instanceof Number n ? n.intValue() : 0));
    List<RankDelivery> out = new ArrayList<>();
    for (Document d : docs) {
      int rank = d.get(RANK) instanceof Number n ? n.intValue() : 0;
      Document newest = steps.find(new Document(RUN, run).append(RANK, rank))
          .projection(new Document("_id", 0).append(STEP, 1).append(TIMESTAMP, 1))
          .sort(new Document(STEP, -1)).limit(1).first();
      Long stored = newest != null && newest.get(STEP) instanceof Number s ? s.longValue() : null;
      Date storedAt = newest == null ? null : newest.getDate(TIMESTAMP);
      Date heartbeat = d.getDate(HEARTBEAT);
      out.add(new RankDelivery(rank, d.getString(STATUS), stored, storedAt == null ? null : storedAt.toInstant(),
          d.get(LAST_STEP) instanceof Number n ? n.longValue() : null,
          heartbeat == null ? null : heartbeat.toInstant()));
    }
    return out;
  }
}
