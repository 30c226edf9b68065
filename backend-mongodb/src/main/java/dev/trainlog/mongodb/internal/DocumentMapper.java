package dev.trainlog.mongodb.internal;

import com.mongodb.MongoClientSettings;
import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import dev.trainlog.mongodb.schema.StoreSchema;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;

/**
 * Turns a {@link LogRecord} into the stored document, shaped so the seed's queries run unchanged:
 * {@code {_id, exp_name, run, step, rank, node, metrics, config, timestamp}}, or in time-series mode
 * {@code {_id, timestamp, exp_meta: {exp_name, run, rank, node}, exp_name, step, metrics, config}}.
 */
final class DocumentMapper {

  private static final Codec<Document> CODEC = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);

  private final boolean timeSeries;
  private final List<String> snapshotKeys;
  private Document configSnapshot;

  DocumentMapper(boolean timeSeries, List<String> snapshotKeys) {
    this.timeSeries = timeSeries;
    this.snapshotKeys = snapshotKeys;
  }

  /** The stored identity of a record: run id, rank, step and sequence, so a replay is refused. */
  static String id(LogRecord record) {
    return record.id();
  }

  /** The record encoded once, so its size can be checked before it is sent. */
  RawBsonDocument toRaw(LogRecord record) {
    return toRaw(record, Map.of());
  }

  /** As {@link #toRaw(LogRecord)}, its files referred to by the GridFS ids {@code movedIds} gives their content ids. */
  RawBsonDocument toRaw(LogRecord record, Map<String, String> movedIds) {
    return new RawBsonDocument(toDocument(record, movedIds), CODEC);
  }

  Document toDocument(LogRecord record) {
    return toDocument(record, Map.of());
  }

  Document toDocument(LogRecord record, Map<String, String> movedIds) {
    RunInfo run = record.run();
    Document doc = new Document("_id", id(record));
    if (timeSeries) {
      doc.append("timestamp", new Date(record.timestampMillis()))
          .append("exp_meta", new Document("exp_name", run.experiment())
              .append("run", run.runId()).append("rank", run.rank()).append("node", run.node()))
          .append("exp_name", run.experiment())
          .append("step", record.step());
    } else {
      doc.append("exp_name", run.experiment())
          .append("run", run.runId())
          .append("step", record.step())
          .append("rank", run.rank())
          .append("node", run.node());
    }
    doc.append("metrics", metrics(record.metrics(), run, movedIds));
    doc.append("config", configSnapshot(run));
    if (!timeSeries) {
      doc.append("timestamp", new Date(record.timestampMillis()));
    }
    return doc;
  }

  /** Metrics nested as logged, keys escaped with {@link KeyEscaping}, vectors as arrays of doubles. */
  static Document metrics(Map<String, Object> metrics) {
    return metrics(metrics, null);
  }

  /** As {@link #metrics(Map)}; images and artifacts refer to their GridFS file of {@code run}. */
  static Document metrics(Map<String, Object> metrics, RunInfo run) {
    return metrics(metrics, run, Map.of());
  }

  /** As {@link #metrics(Map, RunInfo)}, a file whose content id {@code movedIds} has under the GridFS id it gives. */
  @SuppressWarnings("unchecked")
  static Document metrics(Map<String, Object> metrics, RunInfo run, Map<String, String> movedIds) {
    Document out = new Document();
    for (Map.Entry<String, Object> e : metrics.entrySet()) {
      Object v = e.getValue();
      Object stored = switch (MetricValues.kindOf(v)) {
        case VECTOR -> {
          double[] values = (double[]) v;
          List<Double> list = new ArrayList<>(values.length);
          for (double d : values) {
            list.add(d);
          }
          yield list;
        }
        case NESTED -> metrics((Map<String, Object>) v, run, movedIds);
        case SCALAR, TEXT -> v;
        case IMAGE -> {
          List<Document> refs = new ArrayList<>();
          for (Image image : (Images) v) {
            refs.add(new Document(StoreSchema.GRIDFS_ID, gridFsId(run, image.contentId(), movedIds))
                .append("content_type", image.format().contentType()).append("width", image.width())
                .append("height", image.height()));
          }
          yield refs;
        }
        case ARTIFACT -> {
          Artifact a = (Artifact) v;
          yield new Document(StoreSchema.GRIDFS_ID, gridFsId(run, a.contentId(), movedIds))
              .append("name", a.name()).append("bytes", a.length());
        }
      };
      out.append(KeyEscaping.escape(e.getKey()), stored);
    }
    return out;
  }

  private static String gridFsId(RunInfo run, String contentId, Map<String, String> movedIds) {
    String moved = movedIds.get(contentId);
    return moved != null ? moved : run == null ? contentId : GridFsFiles.idOf(run, contentId);
  }

  /** The chosen config keys, computed once per run: every record of a dispatcher shares one run. */
  private Document configSnapshot(RunInfo run) {
    if (configSnapshot == null) {
      configSnapshot = new Document(snapshot(run.config(), snapshotKeys));
    }
    return configSnapshot;
  }

  /**
   * The config values {@code keys} name ({@code a.b} reaches into nested maps and is stored nested),
   * or every scalar top-level value when {@code keys} is null. Missing keys are left out.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> snapshot(Map<String, Object> config, List<String> keys) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (keys == null) {
      config.forEach((k, v) -> {
        if (!(v instanceof Map) && !(v instanceof Iterable) && v != null) {
          out.put(KeyEscaping.escape(k), v);
        }
      });
      return out;
    }
    for (String key : keys) {
      if (config.containsKey(key)) {
        out.put(KeyEscaping.escape(key), config.get(key));
        continue;
      }
      String[] parts = key.split("\\.");
      Object current = config;
      for (String part : parts) {
        current = current instanceof Map ? ((Map<String, Object>) current).get(part) : null;
      }
      if (current != null) {
        Map<String, Object> target = out;
        for (int i = 0; i < parts.length - 1; i++) {
          target = (Map<String, Object>) target.computeIfAbsent(parts[i], p -> new LinkedHashMap<String, Object>());
        }
        target.put(parts[parts.length - 1], current);
      }
    }
    return out;
  }

  /** A copy of a config map with every key escaped, at any depth, lists kept as arrays. */
  @SuppressWarnings("unchecked")
  static Document escapedCopy(Map<String, ?> map) {
    Document out = new Document();
    map.forEach((k, v) -> out.append(KeyEscaping.escape(k), escapedValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object escapedValue(Object v) {
    if (v instanceof Map) {
      return escapedCopy((Map<String, ?>) v);
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object item : (List<?>) v) {
        out.add(escapedValue(item));
      }
      return out;
    }
    return v;
  }
}
