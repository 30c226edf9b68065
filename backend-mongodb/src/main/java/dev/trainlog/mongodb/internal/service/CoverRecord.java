package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a step document a per-run read looks at ({@value RunFieldIndex#FIELD}, rank, step,
 * timestamp, metrics), kept in the run index as a few bytes so such reads need not decode the whole
 * document. Only exact values are kept: a document with any other type in those fields (a vector metric,
 * a nested map) has no record, and its reads take the document itself.
 */
final class CoverRecord {

  /** The top-level fields a record holds, besides the position ({@code _id}). */
  static final Set<String> FIELDS = Set.of(RunFieldIndex.FIELD, "rank", "step", "timestamp", "metrics");

  private static final byte DOUBLE = 'D';
  private static final byte INT = 'I';
  private static final byte LONG = 'L';
  private static final byte TIME = 'T';
  private static final byte STRING = 'S';
  private static final byte METRICS = 'M';

  private CoverRecord() {}

  /** The record of {@code document}, or null when one of its covered fields holds a value it cannot keep exactly. */
  static byte[] of(Document document) {
    ByteBuffer out = ByteBuffer.allocate(256);
    for (Map.Entry<String, Object> e : document.entrySet()) {
      if (!FIELDS.contains(e.getKey())) {
        continue;
      }
      out = put(out, e.getKey());
      if (e.getKey().equals("metrics")) {
        if (!(e.getValue() instanceof Document)) {
          return null;
        }
        Document metrics = (Document) e.getValue();
        out = room(out, 5);
        out.put(METRICS).putInt(metrics.size());
        for (Map.Entry<String, Object> m : metrics.entrySet()) {
          out = put(out, m.getKey());
          out = value(out, m.getValue());
          if (out == null) {
            return null;
          }
        }
      } else {
        out = value(out, e.getValue());
        if (out == null) {
          return null;
        }
      }
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /** The document with the covered fields of {@code record}, in their original order, and {@code _id}. */
  static Document read(byte[] record, Object position) {
    ByteBuffer in = ByteBuffer.wrap(record);
    Document d = new Document("_id", position);
    while (in.hasRemaining()) {
      String key = string(in);
      byte tag = in.get();
      if (tag == METRICS) {
        int n = in.getInt();
        Document metrics = new Document();
        for (int i = 0; i < n; i++) {
          String name = string(in);
          metrics.put(name, value(in, in.get()));
        }
        d.put(key, metrics);
      } else {
        d.put(key, value(in, tag));
      }
    }
    return d;
  }

  private static ByteBuffer value(ByteBuffer out, Object v) {
    if (v instanceof Double) {
      return room(out, 9).put(DOUBLE).putDouble((Double) v);
    }
    if (v instanceof Integer) {
      return room(out, 5).put(INT).putInt((Integer) v);
    }
    if (v instanceof Long) {
      return room(out, 9).put(LONG).putLong((Long) v);
    }
    if (v instanceof Instant && ((Instant) v).getNano() % 1_000_000 == 0) {
      return room(out, 9).put(TIME).putLong(((Instant) v).toEpochMilli());
    }
    if (v instanceof String) {
      ByteBuffer b = room(out, 1).put(STRING);
      return put(b, (String) v);
    }
    return null;
  }

  private static Object value(ByteBuffer in, byte tag) {
    return switch (tag) {
      case DOUBLE -> in.getDouble();
      case INT -> in.getInt();
      case LONG -> in.getLong();
      case TIME -> Instant.ofEpochMilli(in.getLong());
      case STRING -> string(in);
      default -> throw new IllegalStateException("damaged cover record: tag " + tag);
    };
  }

  private static ByteBuffer put(ByteBuffer out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return room(out, 4 + b.length).putInt(b.length).put(b);
  }

  private static String string(ByteBuffer in) {
    int n = in.getInt();
    String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  private static ByteBuffer room(ByteBuffer out, int bytes) {
    if (out.remaining() >= bytes) {
      return out;
    }
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes));
    out.flip();
    return bigger.put(out);
  }
}
