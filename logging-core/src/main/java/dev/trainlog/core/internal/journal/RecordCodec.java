package dev.trainlog.core.internal.journal;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The binary form of records and runs in a journal. Every metric and config value type round-trips
 * exactly (doubles bit for bit, so NaN and -0.0 survive), which JSON cannot promise. Big-endian.
 */
final class RecordCodec {

  private static final byte NULL = 'N';
  private static final byte DOUBLE = 'D';
  private static final byte VECTOR = 'V';
  private static final byte TEXT = 'S';
  private static final byte MAP = 'M';
  private static final byte INT = 'I';
  private static final byte LONG = 'L';
  private static final byte BOOL = 'B';
  private static final byte LIST = 'A';
  private static final byte IMAGES = 'G';
  private static final byte ARTIFACT = 'F';
  /** Metric names decoded once per name for every reader of every journal. */
  private static final MetricKeys KEYS = new MetricKeys();

  private RecordCodec() {}

  static void writeRun(ByteSink out, RunInfo run) {
    writeString(out, run.experiment());
    writeString(out, run.runName());
    writeString(out, run.runId());
    out.writeInt(run.rank());
    out.writeInt(run.worldSize());
    writeString(out, run.node());
    out.writeLong(run.startTimeMillis());
    writeValue(out, run.tags(), null, false);
    writeValue(out, run.config(), null, false);
    // last, so that a header written before provenance existed still reads (as none)
    writeValue(out, run.provenance(), null, false);
  }

  @SuppressWarnings("unchecked")
  static RunInfo readRun(ByteBuffer in) throws IOException {
    RunInfo.Builder b = RunInfo.builder()
        .experiment(readString(in))
        .runName(readString(in))
        .runId(readString(in))
        .rank(in.getInt())
        .worldSize(in.getInt())
        .node(readString(in))
        .startTimeMillis(in.getLong());
    Map<String, Object> tags = (Map<String, Object>) readValue(in, null);
    tags.forEach((k, v) -> b.tag(k, String.valueOf(v)));
    b.config((Map<String, Object>) readValue(in, null));
    if (in.hasRemaining()) {
      Map<String, String> provenance = new java.util.LinkedHashMap<>();
      ((Map<String, Object>) readValue(in, null)).forEach((k, v) -> provenance.put(k, String.valueOf(v)));
      b.provenance(provenance);
    }
    return b.build();
  }

  /** Bit of the flags byte: the record was forced past every sampler. */
  private static final int FORCED = 1;
  /** Bit of the flags byte: some value, at any depth, is NaN or infinite. */
  private static final int NON_FINITE = 2;
  /** Bit of the flags byte: a top-level value is an image or an artifact (a file in the blob store). */
  private static final int HAS_FILES = 4;
  /** Where the metrics start in an encoded record: step, sequence, time, flags. */
  private static final int METRICS_OFFSET = 25;

  /**
   * Writes a record's own fields; the run is written once per segment, not per record. Image and artifact
   * values met are added to {@code files}, which the journal makes sure are in its blob store.
   */
  static void writeRecord(ByteSink out, long step, long sequence, long timestampMillis, boolean forced,
      Map<String, Object> metrics, List<Object> files) {
    int start = out.size();
    out.writeLong(step);
    out.writeLong(sequence);
    out.writeLong(timestampMillis);
    out.writeByte(forced ? FORCED : 0);
    out.nonFinite = false;
    writeValue(out, metrics, files, true); // notes NaN and ±Infinity as it goes: one walk of the values
    if (out.nonFinite) {
      out.array()[start + 24] |= NON_FINITE;
    }
    if (!files.isEmpty()) {
      out.array()[start + 24] |= HAS_FILES;
    }
  }

  /**
   * The record whose payload starts at {@code at} in {@code segment}, its metrics decoded only when
   * first used ({@link LazyMetrics}): a record a sampler skips is never copied out of the mapping.
   */
  static LogRecord readLazily(Segment segment, int at, int length, RunInfo run) throws IOException {
    long step = segment.longAt(at);
    long seq = segment.longAt(at + 8);
    long ts = segment.longAt(at + 16);
    int flags = segment.byteAt(at + 24);
    if (segment.byteAt(at + METRICS_OFFSET) != MAP) {
      throw new IOException("corrupt journal record: its metrics are not a map");
    }
    int size = checkedLength(segment.intAt(at + METRICS_OFFSET + 1));
    LazyMetrics metrics = new LazyMetrics(segment, at, length, size, (flags & NON_FINITE) != 0,
        (flags & HAS_FILES) != 0);
    return new LogRecord(run, step, seq, ts, metrics, (flags & FORCED) != 0);
  }

  /**
   * What {@code check} says of the record whose payload starts at {@code at}, from its header alone;
   * {@link HeaderCheck#LOOK} for a record without metrics (the sampler skips it itself).
   */
  static int decide(Segment segment, int at, HeaderCheck check) {
    int flags = segment.byteAt(at + 24);
    if (segment.byteAt(at + METRICS_OFFSET) != MAP || segment.intAt(at + METRICS_OFFSET + 1) <= 0) {
      return HeaderCheck.LOOK; // not a map (refused when decoded) or an empty one
    }
    int told = ((flags & NON_FINITE) != 0 ? JournalTailer.NON_FINITE : 0)
        | ((flags & HAS_FILES) != 0 ? JournalTailer.HAS_FILES : 0);
    return check.decide(segment.longAt(at), segment.longAt(at + 16), told, (flags & FORCED) != 0);
  }

  /** Sequence number of the record whose payload starts at {@code at}. */
  static long sequenceAt(Segment segment, int at) {
    return segment.longAt(at + 8);
  }

  /** Whether the payload at {@code at} starts like a record: its metrics are a map of a possible size. */
  static boolean looksLikeRecord(Segment segment, int at) {
    return segment.byteAt(at + METRICS_OFFSET) == MAP && segment.intAt(at + METRICS_OFFSET + 1) >= 0;
  }

  /** The metrics of a record's payload; images and artifacts refer to files in {@code blobs}. */
  static Object readMetrics(byte[] payload, Path blobs) throws IOException {
    return readMetrics(ByteBuffer.wrap(payload), blobs);
  }

  /** The same from a view of the payload that starts at its position 0: a heap array or the mapping itself. */
  static Object readMetrics(ByteBuffer payload, Path blobs) throws IOException {
    payload.position(METRICS_OFFSET);
    return readValue(payload, blobs);
  }

  /** The sequence number of an encoded record, without decoding the rest. */
  static long stepOf(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(0);
  }

  static long sequenceOf(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(8);
  }

  @SuppressWarnings("unchecked")
  /**
   * Writes {@code v}; with {@code flag}, a NaN or ±Infinity met in a double, a vector or a map under it (not
   * in a list, nor a float: {@link MetricValues#hasNonFinite}'s rule) sets {@link ByteSink#nonFinite}.
   */
  private static void writeValue(ByteSink out, Object v, List<Object> files, boolean flag) {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      out.writeByte(DOUBLE);
      out.writeDouble(d);
      if (flag && !Double.isFinite(d) && v instanceof Double) {
        out.nonFinite = true;
      }
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      out.writeByte(INT);
      out.writeInt(((Number) v).intValue());
    } else if (v instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Boolean) {
      out.writeByte(BOOL);
      out.writeBoolean((Boolean) v);
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      out.writeByte(VECTOR);
      out.writeInt(a.length);
      boolean finite = true;
      for (double d : a) {
        out.writeDouble(d);
        finite &= Double.isFinite(d);
      }
      if (flag && !finite) {
        out.nonFinite = true;
      }
    } else if (v instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) v;
      out.writeByte(MAP);
      out.writeInt(m.size());
      m.forEach((key, value) -> { // a MetricMap walks its arrays: no iterator on the caller's path
        out.writeKey(key);
        writeValue(out, value, files, flag);
      });
    } else if (v instanceof List) {
      List<Object> l = (List<Object>) v;
      out.writeByte(LIST);
      out.writeInt(l.size());
      for (Object item : l) {
        writeValue(out, item, files, false);
      }
    } else if (v instanceof Images images) {
      out.writeByte(IMAGES);
      out.writeInt(images.size());
      for (Image image : images) {
        out.writeByte(image.format().ordinal());
        out.writeInt(image.width());
        out.writeInt(image.height());
        out.writeLong(image.length());
        writeString(out, image.contentId());
      }
      files.add(v);
    } else if (v instanceof Artifact a) {
      out.writeByte(ARTIFACT);
      writeString(out, a.name());
      out.writeLong(a.length());
      writeString(out, a.contentId());
      files.add(v);
    } else {
      out.writeByte(TEXT);
      writeString(out, v.toString());
    }
  }

  private static Object readValue(ByteBuffer in, Path blobs) throws IOException {
    byte tag = in.get();
    switch (tag) {
      case NULL:
        return null;
      case DOUBLE:
        return in.getDouble();
      case INT:
        return in.getInt();
      case LONG:
        return in.getLong();
      case BOOL:
        return (in.get() != 0);
      case TEXT:
        return readString(in);
      case VECTOR: {
        double[] a = new double[checkedLength(in.getInt())];
        for (int i = 0; i < a.length; i++) {
          a[i] = in.getDouble();
        }
        return a;
      }
      case MAP: {
        int n = checkedLength(in.getInt());
        MetricMap.Builder m = MetricMap.builder(n);
        for (int i = 0; i < n; i++) {
          String k = readKey(in);
          m.put(k, readValue(in, blobs));
        }
        return m.build();
      }
      case LIST: {
        int n = checkedLength(in.getInt());
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(readValue(in, blobs));
        }
        return Collections.unmodifiableList(l);
      }
      case IMAGES:
        return readImages(in, blobs);
      case ARTIFACT: {
        String name = readString(in);
        long length = in.getLong();
        return BlobStore.artifact(blobs, name, length, readString(in));
      }
      default:
        throw new IOException("corrupt journal record: unknown value tag " + tag);
    }
  }

  private static Images readImages(ByteBuffer in, Path blobs) throws IOException {
    int n = checkedLength(in.getInt());
    Image.Format[] formats = Image.Format.values();
    List<Image> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int f = in.get();
      if (f < 0 || f >= formats.length) {
        throw new IOException("corrupt journal record: image format " + f);
      }
      int width = in.getInt();
      int height = in.getInt();
      long length = in.getLong();
      list.add(BlobStore.image(blobs, readString(in), formats[f], width, height, length));
    }
    return Images.of(list);
  }

  private static int checkedLength(int n) throws IOException {
    if (n < 0 || n > 64 * 1024 * 1024) {
      throw new IOException("corrupt journal record: length " + n);
    }
    return n;
  }

  private static void writeString(ByteSink out, String s) {
    out.writeString(s);
  }

  /** A map key: decoded once per name, not once per record ({@link MetricKeys}). */
  private static String readKey(ByteBuffer in) throws IOException {
    int n = stringLength(in);
    String s = KEYS.decode(in, in.position(), n);
    in.position(in.position() + n);
    return s;
  }

  private static String readString(ByteBuffer in) throws IOException {
    int n = stringLength(in);
    if (!in.hasArray()) {
      byte[] b = new byte[n];
      in.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }
    String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  /** The length before a string's bytes, checked against what the record has left. */
  private static int stringLength(ByteBuffer in) throws IOException {
    int n = checkedLength(in.getInt());
    if (n > in.remaining()) {
      throw new IOException("corrupt journal record: string of " + n + " bytes");
    }
    return n;
  }
}
