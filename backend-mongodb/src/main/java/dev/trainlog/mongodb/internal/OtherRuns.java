package dev.trainlog.mongodb.internal;

import com.mongodb.client.MongoCollection;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * The runs other than the backend's own whose records it writes: those of a journal a process that is gone
 * left behind, and every record of a resend ({@code trainlog resend}). Each record updates the runs entry of
 * its own run and rank; how such an entry ends is {@link RunsDocument#delivered}'s to say.
 */
final class OtherRuns {

  private final Clock clock;
  private final long heartbeatIntervalMillis;
  /** Whether the records are resent ones, whose run may still be running elsewhere. */
  private final boolean resending;
  private final Map<String, Entry> runs = new LinkedHashMap<>();
  private MongoCollection<Document> collection;

  OtherRuns(Clock clock, long heartbeatIntervalMillis, boolean resending) {
    this.clock = clock;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    this.resending = resending;
  }

  /** The runs collection to update (again after a reconnect: the summaries held so far are kept). */
  void bind(MongoCollection<Document> runsCollection) {
    this.collection = runsCollection;
    runs.replaceAll((key, e) -> new Entry(document(e.doc.run()), e.summary, e));
  }

  /** Adds the progress of {@code written} (minus {@code duplicates}, counted when first written) to their runs. */
  void update(List<LogRecord> written, Set<LogRecord> duplicates) {
    Map<String, Entry> touched = new LinkedHashMap<>();
    for (LogRecord record : written) {
      RunInfo run = record.run();
      String key = run.runId() + "/" + run.rank();
      Entry e = runs.computeIfAbsent(key, k -> {
        RunsDocument doc = document(run);
        return new Entry(doc, doc.storedSummary(), null);
      });
      e.lastStep = e.lastStep == null ? record.step() : Math.max(e.lastStep, record.step());
      e.lastRecordMillis = Math.max(e.lastRecordMillis, record.timestampMillis());
      if (!duplicates.contains(record)) {
        e.summary.add(record);
      }
      touched.put(key, e);
    }
    touched.values().forEach(e -> e.doc.delivered(e.lastStep, e.summary, e.lastRecordMillis, !resending));
  }

  /** How {@code run}'s process closed it, told by the dispatcher once that run's records are written. */
  void ended(RunInfo run, dev.trainlog.api.RunStatus status, long endTimeMillis) {
    document(run).ended(status, endTimeMillis);
  }

  private RunsDocument document(RunInfo run) {
    return new RunsDocument(collection, run, clock, heartbeatIntervalMillis, Map.of());
  }

  private static final class Entry {
    final RunsDocument doc;
    final RunSummary summary;
    Long lastStep;
    long lastRecordMillis = Long.MIN_VALUE;

    Entry(RunsDocument doc, RunSummary summary, Entry before) {
      this.doc = doc;
      this.summary = summary;
      if (before != null) {
        lastStep = before.lastStep;
        lastRecordMillis = before.lastRecordMillis;
      }
    }
  }
}
