package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import dev.trainlog.query.spec.StepFeed;
import dev.trainlog.query.spec.StepValues;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * New step documents of one run and rank as {@link StepValues}: a change stream where the server has one
 * (a replica set, Atlas, the embedded store), which once at start also polls for what was written before it
 * opened, else polling for steps above the last one seen.
 */
public final class StepPoller implements StepFeed {

  private final MongoCollection<Document> steps;
  private final String run;
  private final int rank;
  private final MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor;
  private boolean caughtUp;
  private long lastStep;

  private StepPoller(MongoCollection<Document> steps, String run, int rank, long afterStep,
      MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor) {
    this.steps = steps;
    this.run = run;
    this.rank = rank;
    this.lastStep = afterStep;
    this.cursor = cursor;
  }

  /** A change stream if the server offers one, else polling, for steps of {@code run} and {@code rank} above {@code afterStep}. */
  public static StepPoller open(MongoCollection<Document> steps, String run, int rank, long afterStep) {
    Document match = new Document("operationType", "insert").append("fullDocument." + RUN, run)
        .append("fullDocument." + RANK, rank);
    try {
      return new StepPoller(steps, run, rank, afterStep, steps.watch(List.of(new Document("$match", match)))
          .maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor());
    } catch (MongoException e) {
      return polling(steps, run, rank, afterStep);
    }
  }

  /** Polling only. */
  public static StepPoller polling(MongoCollection<Document> steps, String run, int rank, long afterStep) {
    return new StepPoller(steps, run, rank, afterStep, null);
  }

  @Override
  public List<StepValues> next() {
    List<Document> docs = new ArrayList<>();
    if (cursor == null || !caughtUp) {
      steps.find(new Document(RUN, run).append(RANK, rank).append(STEP, new Document("$gt", lastStep)))
          .sort(new Document(STEP, 1)).into(docs);
      caughtUp = true;
    }
    if (cursor != null) {
      ChangeStreamDocument<Document> change;
      while ((change = cursor.tryNext()) != null) {
        if (change.getFullDocument() != null) {
          docs.add(change.getFullDocument());
        }
      }
    }
    List<StepValues> out = new ArrayList<>();
    for (Document d : docs) {
      StepValues v = StepsRead.whole(run, d);
      if (v.step() > lastStep) {
        out.add(v);
        lastStep = v.step();
      }
    }
    return out;
  }

  @Override
  public String mode() {
    return cursor == null ? "polling" : "change stream";
  }

  @Override
  public void close() {
    if (cursor != null) {
      cursor.close();
    }
  }
}
