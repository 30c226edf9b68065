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
 * The runs whose records a resend writes ({@code trainlog resend}): each record updates the runs entry
 * of its own run and rank, never one of the resending process, and no status changes.
 */
final class ResentRuns {

  private final Clock clock;
  private final long heartbeatIntervalMillis;
  private final Map<String, Entry> runs = new LinkedHashMap<>();
  private MongoCollection<Document> collection;

  ResentRuns(Clock clock, long heartbeatIntervalMillis) {
    this.clock = clock;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
  }

  /** The runs collection to update (again after a reconnect). */
  void bind(MongoCollection<Document> runsCollection) {
    this.collection = runsCollection;
    runs.clear();
  }

  /** Adds the progress of {@code written} (minus {@code duplicates}, counted when first written) to their runs. */
  void update(List<LogRecord> written, Set<LogRecord> duplicates) {
    Map<String, Entry> touched = new LinkedHashMap<>();
    for (LogRecord record : written) {
      RunInfo run = record.run();
      String key = run.runId() + "/" + run.rank();
      Entry e = runs.computeIfAbsent(key, k -> new Entry(new RunsDocument(collection, run, clock,
          heartbeatIntervalMillis, Map.of())));
      e.lastStep = e.lastStep == null ? record.step() : Math.max(e.lastStep, record.step());
      if (!duplicates.contains(record)) {
        e.summary.add(record);
      }
      touched.put(key, e);
    }
    touched.values().forEach(e -> e.doc.resent(e.lastStep, e.summary));
  }

  private static final class Entry {
    final RunsDocument doc;
    final RunSummary summary;
    Long lastStep;

    Entry(RunsDocument doc) {
      this.doc = doc;
      this.summary = doc.storedSummary();
    }
  }
}
