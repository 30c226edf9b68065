package dev.trainlog.query.internal;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import dev.trainlog.query.spec.LivePoint;
import dev.trainlog.query.spec.StepValues;
import dev.trainlog.query.spec.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's new steps, read by a {@link StepPoller} (a change stream where the server has one, after one
 * read of what came before it opened, else polling), flattened to points and handed to a listener on one
 * daemon thread. A stream that fails falls back to polling; a closed client ends the feed.
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
  private volatile StepPoller poller;
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
    this.poller = StepPoller.open(steps, run, rank, afterStep);
    if (poller.mode().equals("polling")) {
      LOG.debug("no change stream on {}; polling every {} ms", steps.getNamespace(), pollInterval.toMillis());
    }
    this.thread = new Thread(this::loop, "trainlog-live-" + run);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public String mode() {
    return poller.mode();
  }

  private void loop() {
    while (!closed) {
      try {
        StepPoller p = poller;
        deliver(p.next());
        if (p.mode().equals("polling")) {
          LockSupport.parkNanos(pollInterval.toNanos()); // a stream waits on the server instead
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
        closePoller();
        poller = StepPoller.polling(steps, run, rank, lastStep);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
      } catch (RuntimeException e) {
        LOG.warn("a live listener of {} failed: {}", run, e.toString());
        LockSupport.parkNanos(pollInterval.toNanos());
      }
    }
  }

  private void deliver(List<StepValues> values) {
    List<LivePoint> points = new ArrayList<>();
    for (StepValues v : values) {
      long time = v.time() == null ? 0 : v.time().toEpochMilli();
      flatten("", v.metrics(), v.step(), time, points);
      lastStep = Math.max(lastStep, v.step());
    }
    if (!points.isEmpty()) {
      listener.accept(points);
    }
  }

  private void flatten(String prefix, Map<String, Object> metrics, long step, long time, List<LivePoint> out) {
    if (metrics == null) {
      return;
    }
    metrics.forEach((name, v) -> {
      if (v instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) nested;
        flatten(prefix + name + "/", inner, step, time, out);
      } else if (v instanceof Number n) {
        out.add(new LivePoint(run, prefix + name, step, time, n.doubleValue()));
      }
    });
  }

  private void closePoller() {
    try {
      poller.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the change stream of {}: {}", run, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    closePoller();
    thread.interrupt();
  }
}
