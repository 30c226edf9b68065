package dev.trainlog.tensorboard;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A framed event of scalars kept to write the records after it: a record with the same keys, in the
 * same order, and a step of the same encoded size is written by filling its wall time, step and floats
 * into these bytes, where the encoder would build every field again. A training loop logs the same
 * keys every step, so nearly every record goes this way. The bytes are the encoder's own, so a file
 * reads the same whichever way a record took.
 *
 * <p>The event is kept as 8-byte words with zeros where the record's values go: a record is a few
 * word stores with its wall time and step shifted in, one store per float, and its CRC-32C.
 */
final class ScalarTemplate {

  /** Where an event's wall time starts in its data: after the field key. */
  static final int WALL_TIME_AT = 1;

  /** Where an event's step starts in its data: after the wall time and the field key. */
  static final int STEP_AT = WALL_TIME_AT + 9;

  /** Bytes of step varint a template holds at most: {@value} (steps below 2^56). */
  static final int MAX_STEP_BYTES = 8;

  private static final int HEADER = RecordFramer.HEADER_BYTES;

  private final String[] keys;
  /** The record's length and the CRC of it: the first 12 bytes of every record of this template. */
  private final long headerLength;
  private final int headerCrc;
  private final int dataLength;
  private final int stepBytes;
  /** The continuation bits of every byte of the step but the last. */
  private final long continuation;
  /** The event's bytes as little-endian words, zero where wall time, step and floats go. */
  private final long[] words;
  /** Where each key's float lies in the event. */
  private final int[] floatAt;
  private final int[] floatBits;
  private final CRC32C crc = new CRC32C();
  /** The next key {@link #collect(String, Object)} expects; past the last key once a value did not fit. */
  private int cursor;

  private ScalarTemplate(String[] keys, byte[] record, int stepBytes, int[] floatAt) {
    this.keys = keys;
    this.stepBytes = stepBytes;
    this.continuation = stepBytes == 1 ? 0 : 0x8080_8080_8080_8080L >>> (8 * (9 - stepBytes));
    this.floatAt = floatAt;
    this.floatBits = new int[keys.length];
    this.dataLength = record.length - HEADER - 4;
    this.headerLength = ProtoBuffer.getLong(record, 0);
    this.headerCrc = ProtoBuffer.getInt(record, 8);
    byte[] data = Arrays.copyOfRange(record, HEADER, HEADER + dataLength + 8);
    Arrays.fill(data, dataLength, data.length, (byte) 0);
    Arrays.fill(data, WALL_TIME_AT, WALL_TIME_AT + 8, (byte) 0);
    Arrays.fill(data, STEP_AT, STEP_AT + stepBytes, (byte) 0);
    for (int at : floatAt) {
      Arrays.fill(data, at, at + 4, (byte) 0);
    }
    this.words = new long[(dataLength + 7) / 8];
    for (int i = 0; i < words.length; i++) {
      words[i] = ProtoBuffer.getLong(data, 8 * i);
    }
  }

  /**
   * The template of the record framed at {@code bytes[start, end)}, data CRC included, whose event has
   * a step of {@code stepBytes} encoded bytes and whose {@code count} scalars have their floats at
   * {@code floatAt} (offsets in the event); null when the step is too long to be held in one word.
   */
  static ScalarTemplate of(byte[] bytes, int start, int end, int stepBytes, String[] keys, int[] floatAt, int count) {
    if (stepBytes > MAX_STEP_BYTES) {
      return null;
    }
    return new ScalarTemplate(Arrays.copyOf(keys, count), Arrays.copyOfRange(bytes, start, end), stepBytes,
        Arrays.copyOf(floatAt, count));
  }

  /** The bytes a record written from this template takes, framing included. */
  int framedSize() {
    return HEADER + dataLength + 4;
  }

  /**
   * Writes records of {@code batch} from {@code from} on while they fit this template, their steps
   * do not go back from {@code lastStep} and {@code out} holds fewer than {@code limit} bytes; returns
   * the index of the first record not written.
   */
  int write(List<LogRecord> batch, int from, long lastStep, ProtoBuffer out, int limit) {
    int size = framedSize();
    int count = Math.min(batch.size() - from, Math.max(0, limit - out.size()) / size + 1);
    // room for all of them at once; the last word of a record may run up to 7 bytes past its CRC
    int start = out.reserve(count * size, count * size + 8);
    byte[] b = out.array();
    int p = start;
    long previous = lastStep;
    int i = from;
    for (int end = from + count; i < end; i++) {
      LogRecord record = batch.get(i);
      long step = record.step();
      if (step < previous || ProtoBuffer.varintSize(step) != stepBytes || !collect(record.metrics())) {
        break;
      }
      ProtoBuffer.putLong(b, p, headerLength);
      ProtoBuffer.putInt(b, p + 8, headerCrc);
      int data = p + HEADER;
      long wallTime = Double.doubleToRawLongBits(record.timestampMillis() / 1000.0);
      long stepVarint = varint(step) | continuation;
      // the wall time fills bytes 1-8 and the step starts at byte 10: both lie in the first two words
      ProtoBuffer.putLong(b, data, words[0] | wallTime << 8);
      ProtoBuffer.putLong(b, data + 8, words[1] | wallTime >>> 56 | stepVarint << 16);
      for (int k = 2; k < words.length; k++) {
        ProtoBuffer.putLong(b, data + 8 * k, words[k]);
      }
      if (stepBytes > 6) {
        ProtoBuffer.orLong(b, data + 16, stepVarint >>> 48);
      }
      for (int k = 0; k < floatAt.length; k++) {
        ProtoBuffer.putInt(b, data + floatAt[k], floatBits[k]);
      }
      crc.reset();
      crc.update(b, data, dataLength);
      ProtoBuffer.putInt(b, data + dataLength, RecordFramer.mask((int) crc.getValue()));
      previous = step;
      p += size;
    }
    out.truncate(p);
    return i;
  }

  /** Takes the floats of {@code metrics} when its keys are this template's; false when they are not. */
  private boolean collect(Map<String, Object> metrics) {
    if (metrics instanceof MetricMap) {
      // the dispatcher's maps: walked by position, with no lambda for the JIT to fail to inline
      MetricMap m = (MetricMap) metrics;
      if (m.size() != keys.length) {
        return false;
      }
      for (int j = 0; j < keys.length; j++) {
        Object value = m.valueAt(j);
        String key = m.keyAt(j);
        if (!(value instanceof Double) || (key != keys[j] && !key.equals(keys[j]))) {
          return false;
        }
        floatBits[j] = Float.floatToRawIntBits((float) (double) (Double) value);
      }
      return true;
    }
    if (metrics.size() != keys.length) {
      return false;
    }
    cursor = 0;
    metrics.forEach(this::collect);
    return cursor == keys.length;
  }

  private void collect(String key, Object value) {
    int i = cursor;
    if (i < keys.length && value instanceof Double && (keys[i] == key || keys[i].equals(key))) {
      floatBits[i] = Float.floatToRawIntBits((float) (double) (Double) value);
      cursor = i + 1;
    } else {
      cursor = keys.length + 1;
    }
  }

  /**
   * The 7-bit groups of {@code step} (below 2^56), each in its own byte of one little-endian word,
   * without the continuation bits: all moved at once, where a loop would move one after the other.
   */
  static long varint(long step) {
    return step & 0x7FL
        | (step & 0x7FL << 7) << 1
        | (step & 0x7FL << 14) << 2
        | (step & 0x7FL << 21) << 3
        | (step & 0x7FL << 28) << 4
        | (step & 0x7FL << 35) << 5
        | (step & 0x7FL << 42) << 6
        | (step & 0x7FL << 49) << 7;
  }
}
