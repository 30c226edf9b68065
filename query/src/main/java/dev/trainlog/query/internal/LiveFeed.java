package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.METRICS;
import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.TIMESTAMP;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.spec.LivePoint;
import dev.trainlog.query.spec.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's new step documents, flattened to points and handed to a listener on one daemon thread: from
 * a change stream on the step collection when the server has one (after one read of what came before
 * it opened), else by polling for steps above the last one seen. A stream that fails falls back to
 * polling; a closed client ends the feed.
 */
public final class LiveFeed implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  private final MongoCollection<Document> steps;
  private final String run;
  private final int rank;
  private final Duration pollInterval;
  private final Consumer<List<LivePoint>> listener;
  private final Thread thread;
  private volatile boolean closed;
  private volatile String mode = "polling";
  private volatile MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor;
  private long lastStep;

  /** Starts feeding points of {@code run} logged after {@code afterStep} to {@code listener}. */
  public LiveFeed(MongoCollection<Document> steps, String run, int rank, long afterStep, Duration pollInterval,
      Consumer<List<LivePoint>> listener) {
    this.steps = steps;
    this.run = run;
    this.rank = rank;
    this.lastStep = afterStep;
    this.pollInterval = pollInterval;
    this.listener = listener;
    this.cursor = openChangeStream();
    this.thread = new Thread(this::loop, "trainlog-live-" + run);
    thread.setDaemon(true);
    thread.start();
  }

  private MongoChangeStreamCursor<ChangeStreamDocument<Document>> openChangeStream() {
    try {
      MongoChangeStreamCursor<ChangeStreamDocument<Document>> c = steps.watch(List.of(new Document("$match",
          new Document("operationType", "insert").append("fullDocument." + RUN, run)))).cursor();
      mode = "change stream";
      return c;
    } catch (MongoException e) {
      LOG.debug("no change stream on {} ({}); polling every {} ms", steps.getNamespace(), e.getMessage(),
          pollInterval.toMillis());
      return null;
    }
  }

  @Override
  public String mode() {
    return mode;
  }

  private void loop() {
    boolean caughtUp = false;
    while (!closed) {
      try {
        if (!caughtUp) {
          poll(); // points logged before the stream opened
          caughtUp = true;
        } else if (cursor != null) {
          ChangeStreamDocument<Document> change = cursor.tryNext();
          if (change != null && change.getFullDocument() != null) {
            deliver(List.of(change.getFullDocument()));
          }
        } else {
          poll();
          LockSupport.parkNanos(pollInterval.toNanos());
        }
      } catch (IllegalStateException e) {
        // the store's client was closed under the feed: nothing more will come
        LOG.debug("live points of {} end: {}", run, e.getMessage());
        closed = true;
        return;
      } catch (MongoException e) {
        if (closed) {
          return;
        }
        LOG.warn("live points of {} interrupted ({}); retrying", run, e.getMessage());
        closeCursor();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
      } catch (RuntimeException e) {
        LOG.warn("a live listener of {} failed: {}", run, e.toString());
        LockSupport.parkNanos(pollInterval.toNanos());
      }
    }
  }

  private void poll() {
    List<Document> docs = new ArrayList<>();
    steps.find(new Document(RUN, run).append(RANK, rank).append(STEP, new Document("$gt", lastStep)))
        .projection(new Document("_id", 0).append(STEP, 1).append(TIMESTAMP, 1).append(METRICS, 1))
        .sort(new Document(STEP, 1)).into(docs);
    deliver(docs);
  }

  private void deliver(List<Document> docs) {
    List<LivePoint> points = new ArrayList<>();
    for (Document d : docs) {
      if (!(d.get(STEP) instanceof Number s) || s.longValue() <= lastStep
          || (d.get(RANK) instanceof Number r && r.intValue() != rank)) {
        continue;
      }
      Date time = d.getDate(TIMESTAMP);
      flatten("", d.get(METRICS, Document.class), s.longValue(), time == null ? 0 : time.getTime(), points);
      lastStep = Math.max(lastStep, s.longValue());
    }
    if (!points.isEmpty()) {
      listener.accept(points);
    }
  }

  private void flatten(String prefix, Document metrics, long step, long time, List<LivePoint> out) {
    if (metrics == null) {
      return;
    }
    metrics.forEach((k, v) -> {
      String name = prefix + StoreSchema.unescape(k);
      if (v instanceof Document nested) {
        flatten(name + "/", nested, step, time, out);
      } else if (v instanceof Number n) {
        out.add(new LivePoint(run, name, step, time, n.doubleValue()));
      }
    });
  }

  private void closeCursor() {
    MongoChangeStreamCursor<ChangeStreamDocument<Document>> c = cursor;
    cursor = null;
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the change stream of {}: {}", run, e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    closeCursor();
    thread.interrupt();
  }
}
