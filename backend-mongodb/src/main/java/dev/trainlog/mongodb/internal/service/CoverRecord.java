package dev.trainlog.mongodb.internal.service;

import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_COUNT;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_FIRST;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_LAST;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MAX;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MIN;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_NON_FINITE;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_NON_FINITE_COUNT;

import de.bwaldvogel.mongo.bson.Document;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fields of a document a per-run read looks at (a step's {@value RunFieldIndex#FIELD}, rank, step,
 * timestamp and metrics; a series rollup's count and points), kept in the run index as a few bytes so such
 * reads need not decode the whole document. Only exact values are kept: a document with any other type in
 * those fields (a binary, a boolean, a null) has no record, and its reads take the document itself.
 */
final class CoverRecord {

  /** The top-level fields a record written before the rollups' were added holds ({@link #isCurrent} false). */
  static final Set<String> LEGACY_FIELDS = Set.of(RunFieldIndex.FIELD, "rank", "step", "timestamp", "metrics");

  /** The top-level fields a current record holds, besides the position ({@code _id}). */
  static final Set<String> FIELDS = Stream.concat(LEGACY_FIELDS.stream(), Stream.of(SERIES_COUNT, SERIES_FIRST,
      SERIES_LAST, SERIES_MIN, SERIES_MAX, SERIES_NON_FINITE, SERIES_NON_FINITE_COUNT)).collect(Collectors.toUnmodifiableSet());

  /**
   * The first byte of a current record; a legacy one starts with the high byte of its first name's length,
   * always 0 (the format had no version): {@value}.
   */
  private static final byte CURRENT = 2;

  private static final byte DOUBLE = 'D';
  private static final byte INT = 'I';
  private static final byte LONG = 'L';
  private static final byte TIME = 'T';
  private static final byte STRING = 'S';
  /** A document of scalars: the only nesting a legacy record has (its metrics). */
  private static final byte METRICS = 'M';
  private static final byte OBJECT = 'O';
  private static final byte ARRAY = 'A';

  private CoverRecord() {}

  /** The record of {@code document}, or null when one of its covered fields holds a value it cannot keep exactly. */
  static byte[] of(Document document) {
    ByteBuffer out = ByteBuffer.allocate(256).put(CURRENT);
    for (Map.Entry<String, Object> e : document.entrySet()) {
      if (!FIELDS.contains(e.getKey())) {
        continue;
      }
      out = value(put(out, e.getKey()), e.getValue());
      if (out == null) {
        return null;
      }
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /** One value ({@code _id}) in the record format, or null when it cannot be kept exactly. */
  static byte[] ofValue(Object value) {
    ByteBuffer out = value(ByteBuffer.allocate(64).put(CURRENT), value);
    if (out == null) {
      return null;
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /** The value {@link #ofValue} kept. */
  static Object readValue(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    return value(in, in.get());
  }

  /** Whether {@code record} (not empty) holds every one of {@link #FIELDS} its document has, not only the legacy ones. */
  static boolean isCurrent(byte[] record) {
    return record[0] == CURRENT;
  }

  /** The document with the covered fields of {@code record}, in their original order, and {@code _id}. */
  static Document read(byte[] record, Object position) {
    ByteBuffer in = ByteBuffer.wrap(record);
    if (isCurrent(record)) {
      in.get();
    }
    Document d = new Document("_id", position);
    while (in.hasRemaining()) {
      String key = string(in);
      d.put(key, value(in, in.get()));
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
    if (v instanceof Document) {
      ByteBuffer b = room(out, 5).put(OBJECT).putInt(((Document) v).size());
      for (Map.Entry<String, Object> e : ((Document) v).entrySet()) {
        b = value(put(b, e.getKey()), e.getValue());
        if (b == null) {
          return null;
        }
      }
      return b;
    }
    if (v instanceof List) {
      ByteBuffer b = room(out, 5).put(ARRAY).putInt(((List<?>) v).size());
      for (Object item : (List<?>) v) {
        b = value(b, item);
        if (b == null) {
          return null;
        }
      }
      return b;
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
      case METRICS, OBJECT -> {
        int n = in.getInt();
        Document d = new Document();
        for (int i = 0; i < n; i++) {
          String name = string(in);
          d.put(name, value(in, in.get()));
        }
        yield d;
      }
      case ARRAY -> {
        int n = in.getInt();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(value(in, in.get()));
        }
        yield list;
      }
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
