package dev.trainlog.mongodb.internal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.schema.StoreSchema;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The run's entry in the runs collection, one per run and rank ({@code _id: "<run id>/<rank>"}):
 * who ran what with which full (redacted) config, its status (running, finished, failed, killed, unknown),
 * start and end time, last step, a heartbeat (and its interval, so a reader can tell a dead run) and
 * a {@link RunSummary} of every scalar metric, so the collection answers "which experiments exist
 * and how did they end" without scanning the steps.
 */
final class RunsDocument {

  /** The status written at open. */
  static final String RUNNING = "running";

  private final MongoCollection<Document> runs;
  private final RunInfo run;
  private final Clock clock;
  private final String id;

  private final long heartbeatIntervalMillis;

  private final java.util.Map<String, String> backends;

  /** {@code backends}: every backend of the dispatcher and its sampling in words (empty when unknown). */
  RunsDocument(MongoCollection<Document> runs, RunInfo run, Clock clock, long heartbeatIntervalMillis,
      java.util.Map<String, String> backends) {
    this.backends = new java.util.LinkedHashMap<>(backends);
    this.runs = runs;
    this.run = run;
    this.clock = clock;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    this.id = run.runId() + "/" + run.rank();
  }

  /** The summary stored by an earlier process of this run and rank (a resumed run), or an empty one. */
  RunSummary storedSummary() {
    Document existing = runs.find(new Document("_id", id)).projection(new Document("summary", 1)).first();
    return RunSummary.from(existing == null ? null : existing.get("summary", Document.class));
  }

  /** Creates or refreshes the entry with status running; a resumed run clears its end time and keeps its start. */
  void start() {
    Document fields = identity()
        .append("status", RUNNING)
        .append("heartbeat", now())
        .append("heartbeat_interval_ms", heartbeatIntervalMillis);
    if (!run.provenance().isEmpty()) {
      fields.append("provenance", new Document(new java.util.LinkedHashMap<String, Object>(run.provenance())));
    }
    if (!backends.isEmpty()) {
      fields.append("backends", new Document(new java.util.LinkedHashMap<String, Object>(backends)));
    }
    // a run resumed with its id keeps the start of its first process, as MLflow keeps a resumed run's
    Object started = fields.remove("start_time");
    runs.updateOne(new Document("_id", id),
        Updates.combine(new Document("$set", fields), Updates.unset("end_time"), Updates.setOnInsert("last_step", null),
            Updates.setOnInsert("start_time", started)),
        new UpdateOptions().upsert(true));
  }

  /**
   * For records delivered after their run's process is gone (a journal it left, a resend): adds their progress
   * to the entry. An entry missing until now is made from the records' run with status {@value
   * StoreSchema#STATUS_UNKNOWN}: its process never said here how the run ended. With {@code processGone}, an
   * entry still running is ended as killed (its process died without closing it); a resend leaves the status
   * alone. An ended entry's end time is moved up to {@code lastRecordMillis} when it is earlier.
   */
  void delivered(Long lastStep, RunSummary summary, long lastRecordMillis, boolean processGone) {
    Document created = madeLate().append("status", StoreSchema.STATUS_UNKNOWN);
    java.util.List<Bson> update = new java.util.ArrayList<>();
    update.add(Updates.setOnInsert(created));
    if (!summary.isEmpty()) {
      update.add(Updates.set("summary", summary.toDocument()));
    }
    if (lastStep != null) {
      update.add(Updates.max("last_step", lastStep));
    }
    runs.updateOne(new Document("_id", id), Updates.combine(update), new UpdateOptions().upsert(true));
    if (processGone) {
      runs.updateOne(new Document("_id", id).append("status", RUNNING),
          Updates.set("status", RunStatus.KILLED.name().toLowerCase(Locale.ROOT)));
    }
    // a run that is still running has no end time; any other ended no earlier than its newest record
    runs.updateOne(new Document("_id", id).append("status", new Document("$ne", RUNNING)),
        Updates.max("end_time", new Date(lastRecordMillis)));
  }

  /**
   * How the run's process closed it (records it left behind were delivered by another process): the entry
   * takes that status, where {@link #delivered} assumed {@code killed} or {@code unknown}, and ends no earlier.
   */
  void ended(RunStatus status, long endTimeMillis) {
    runs.updateOne(new Document("_id", id), Updates.combine(Updates.setOnInsert(madeLate()),
        Updates.set("status", status.name().toLowerCase(Locale.ROOT)), Updates.max("end_time", new Date(endTimeMillis))),
        new UpdateOptions().upsert(true));
  }

  /** An entry made after its run's process is gone: its identity, with its start as its last heartbeat. */
  private Document madeLate() {
    return identity().append("heartbeat", new Date(run.startTimeMillis()))
        .append("heartbeat_interval_ms", heartbeatIntervalMillis);
  }

  /** The run and rank this entry is of. */
  RunInfo run() {
    return run;
  }

  private Document identity() {
    return new Document("exp_name", run.experiment())
        .append("run", run.runId())
        .append("run_name", run.runName())
        .append("rank", run.rank())
        .append("world_size", run.worldSize())
        .append("node", run.node())
        .append("host", localHost())
        .append("tags", new Document(run.tags()))
        .append("config", DocumentMapper.escapedCopy(run.config()))
        .append("start_time", new Date(run.startTimeMillis()));
  }

  /** Records liveness and progress; {@code lastStep} is null when nothing was written yet. */
  void heartbeat(Long lastStep, RunSummary summary) {
    runs.updateOne(new Document("_id", id), progress(lastStep, summary, Updates.set("heartbeat", now())));
  }

  /** Marks the run ended with {@code status} at the clock's current time. */
  void finish(RunStatus status, Long lastStep, RunSummary summary) {
    Date now = now();
    runs.updateOne(new Document("_id", id), progress(lastStep, summary, Updates.combine(
        Updates.set("status", status.name().toLowerCase(Locale.ROOT)),
        Updates.set("end_time", now),
        Updates.set("heartbeat", now))));
  }

  private static Bson progress(Long lastStep, RunSummary summary, Bson update) {
    Bson withSummary = summary.isEmpty() ? update : Updates.combine(update, Updates.set("summary", summary.toDocument()));
    return lastStep == null ? withSummary : Updates.combine(withSummary, Updates.max("last_step", lastStep));
  }

  private Date now() {
    return new Date(clock.millis());
  }

  private String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return run.node();
    }
  }
}
