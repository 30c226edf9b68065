package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.*;

import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.spec.MetricStats;
import dev.trainlog.query.spec.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Folds the runs documents of one run (one per rank) into a {@link RunRecord}. */
public final class RunDocuments {

  /** Assumed when a runs document predates {@code heartbeat_interval_ms}: the backend's default, {@value} ms. */
  public static final long DEFAULT_HEARTBEAT_MILLIS = 10_000;

  private RunDocuments() {}

  /** The run the documents of its ranks describe; {@code ranks} is not empty. */
  public static RunRecord fold(List<Document> ranks) {
    List<Document> sorted = ranks.stream().sorted(Comparator.comparingInt(RunDocuments::rank)).toList();
    Document first = sorted.get(0);
    Instant end = null;
    boolean allEnded = true;
    boolean anyRunning = false;
    String ended = "finished";
    Instant heartbeat = null;
    Instant liveHeartbeat = null; // a run is as alive as its freshest running rank
    Long lastStep = null;
    for (Document d : sorted) {
      Date e = d.getDate(END_TIME);
      if (e == null) {
        allEnded = false;
      } else if (end == null || e.toInstant().isAfter(end)) {
        end = e.toInstant();
      }
      String s = d.getString(STATUS) == null ? "unknown" : d.getString(STATUS);
      Date h = d.getDate(HEARTBEAT) != null ? d.getDate(HEARTBEAT) : d.getDate(START_TIME);
      if (STATUS_RUNNING.equals(s)) {
        anyRunning = true;
        if (h != null && (liveHeartbeat == null || h.toInstant().isAfter(liveHeartbeat))) {
          liveHeartbeat = h.toInstant();
        }
      } else if (!"finished".equals(s)) {
        ended = s;
      }
      if (h != null && (heartbeat == null || h.toInstant().isAfter(heartbeat))) {
        heartbeat = h.toInstant();
      }
      if (d.get(LAST_STEP) instanceof Number n && (lastStep == null || n.longValue() > lastStep)) {
        lastStep = n.longValue();
      }
    }
    Instant start = first.getDate(START_TIME) == null ? null : first.getDate(START_TIME).toInstant();
    long interval = first.get(HEARTBEAT_INTERVAL_MS) instanceof Number n ? n.longValue() : DEFAULT_HEARTBEAT_MILLIS;
    int world = first.get(WORLD_SIZE) instanceof Number n ? n.intValue() : 1;
    Map<String, String> backends = new LinkedHashMap<>();
    Document b = first.get(BACKENDS, Document.class);
    if (b != null) {
      b.forEach((k, v) -> backends.put(StoreSchema.unescape(k), String.valueOf(v)));
    }
    return new RunRecord(first.getString(RUN), first.getString(RUN_NAME), first.getString(EXPERIMENT), rank(first),
        sorted.size(), world, first.getString(HOST), start, allEnded ? end : null,
        anyRunning && liveHeartbeat != null ? liveHeartbeat : heartbeat != null ? heartbeat : start,
        interval, lastStep, anyRunning ? STATUS_RUNNING : ended, unescaped(first.get(CONFIG, Document.class)),
        unescaped(first.get(TAGS, Document.class)), unescaped(first.get(PROVENANCE, Document.class)), backends,
        summary(first.get(SUMMARY, Document.class)));
  }

  private static int rank(Document d) {
    return d.get(RANK) instanceof Number n ? n.intValue() : 0;
  }

  private static Map<String, MetricStats> summary(Document summary) {
    Map<String, MetricStats> out = new LinkedHashMap<>();
    if (summary == null) {
      return out;
    }
    summary.forEach((key, value) -> {
      if (value instanceof Document d) {
        String name = StoreSchema.unescape(key);
        out.put(name, new MetricStats(name, d.getString(SUMMARY_PATH), longOf(d.get(SUMMARY_COUNT), 0L),
            longOf(d.get(SUMMARY_FIRST_STEP), null), longOf(d.get(SUMMARY_LAST_STEP), null),
            doubleOf(d.get(SUMMARY_LAST)), doubleOf(d.get(SUMMARY_MIN)), doubleOf(d.get(SUMMARY_MAX)),
            longOf(d.get(SUMMARY_NAN), 0L)));
      }
    });
    return out;
  }

  private static Long longOf(Object o, Long fallback) {
    return o instanceof Number n ? n.longValue() : fallback;
  }

  private static Double doubleOf(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }

  /** A stored document as plain maps and lists, keys unescaped at every depth. */
  public static Map<String, Object> unescaped(Document d) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (d != null) {
      d.forEach((k, v) -> out.put(StoreSchema.unescape(k), plain(v)));
    }
    return out;
  }

  private static Object plain(Object v) {
    if (v instanceof Document d) {
      return unescaped(d);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(item -> out.add(plain(item)));
      return out;
    }
    if (v instanceof Date date) {
      return date.toInstant().toString();
    }
    return v;
  }
}
