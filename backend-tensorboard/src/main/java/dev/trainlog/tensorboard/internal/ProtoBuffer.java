package dev.trainlog.tensorboard.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte buffer that writes protobuf wire format directly, so the backend needs no protobuf
 * runtime. One instance is reused for every record: nothing is allocated once it has grown to the
 * largest record.
 *
 * <p>Nested messages are written in place: {@link #beginMessage} reserves one byte for the length
 * prefix, which is only known at {@link #endMessage}; content of 128 bytes or more (rare for scalars)
 * is moved to make room for a longer prefix.
 */
final class ProtoBuffer {

  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LEN = 2;
  private static final int WIRE_FIXED32 = 5;

  // one unaligned little-endian store per fixed-width field instead of a loop of byte stores
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int size;

  ProtoBuffer() {
    this(256);
  }

  ProtoBuffer(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  /** Empties the buffer, keeping its capacity. */
  void reset() {
    size = 0;
  }

  int size() {
    return size;
  }

  /** The backing array; bytes {@code [0, size())} are the content. */
  byte[] array() {
    return bytes;
  }

  /** Skips {@code n} bytes the caller fills in later with {@link #putLongAt}/{@link #putIntAt}; returns where they start. */
  int reserve(int n) {
    return reserve(n, n);
  }

  /**
   * Like {@link #reserve(int)}, but makes sure {@code room} bytes (at least {@code n}) fit, so the
   * caller may store whole words past the {@code n} bytes it keeps; what lies past them is not content.
   */
  int reserve(int n, int room) {
    ensure(room);
    int start = size;
    size += n;
    return start;
  }

  /** Drops everything from {@code newSize} on, e.g. a record that failed half-way through encoding. */
  void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IndexOutOfBoundsException("size " + newSize + " outside [0, " + size + "]");
    }
    size = newSize;
  }

  /** Overwrites the 8 bytes at {@code offset} (content or reserved room) with {@code value}, little-endian. */
  void putLongAt(int offset, long value) {
    LONG_LE.set(bytes, offset, value);
  }

  /** The 8 bytes of {@code source} at {@code offset} as a little-endian long. */
  static long getLong(byte[] source, int offset) {
    return (long) LONG_LE.get(source, offset);
  }

  /** Overwrites the 4 bytes at {@code offset} (content or reserved room) with {@code value}, little-endian. */
  void putIntAt(int offset, int value) {
    INT_LE.set(bytes, offset, value);
  }

  /** Appends {@code value[offset..offset+length)} as they are, with no tag or length. */
  void rawBytes(byte[] value, int offset, int length) {
    ensure(length);
    System.arraycopy(value, offset, bytes, size, length);
    size += length;
  }

  /** A copy of the content, for tests and one-off use. */
  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  void varintField(int field, long value) {
    key(field, WIRE_VARINT);
    varint(value);
  }

  void doubleField(int field, double value) {
    key(field, WIRE_FIXED64);
    fixed64(Double.doubleToRawLongBits(value));
  }

  void floatField(int field, float value) {
    key(field, WIRE_FIXED32);
    fixed32(Float.floatToRawIntBits(value));
  }

  /** A string field as UTF-8, encoded without allocating. */
  void stringField(int field, CharSequence value) {
    int start = beginMessage(field);
    utf8(value);
    insertLength(start);
  }

  void bytesField(int field, byte[] value) {
    bytesField(field, value, 0, value.length);
  }

  /** A bytes (or already UTF-8 encoded string) field holding {@code value[offset..offset+length)}. */
  void bytesField(int field, byte[] value, int offset, int length) {
    key(field, WIRE_LEN);
    varint(length);
    rawBytes(value, offset, length);
  }

  /** A packed repeated double field holding {@code values[0..count)}. */
  void packedDoubles(int field, double[] values, int count) {
    key(field, WIRE_LEN);
    varint(8L * count);
    ensure(8 * count);
    for (int i = 0; i < count; i++) {
      LONG_LE.set(bytes, size, Double.doubleToRawLongBits(values[i]));
      size += 8;
    }
  }

  /** Starts a nested message in {@code field}; pass the result to {@link #endMessage}. */
  int beginMessage(int field) {
    key(field, WIRE_LEN);
    ensure(1);
    size++; // room for a one-byte length
    return size;
  }

  /** Ends the nested message begun at {@code start} by inserting its length in front of it. */
  void endMessage(int start) {
    insertLength(start);
  }

  private void insertLength(int start) {
    int length = size - start;
    if (length < 0x80) {
      bytes[start - 1] = (byte) length;
      return;
    }
    int extra = varintSize(length) - 1;
    ensure(extra);
    System.arraycopy(bytes, start, bytes, start + extra, length);
    int end = size + extra;
    size = start - 1;
    varint(length);
    size = end;
  }

  private void key(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    ensure(10);
    if ((value & ~0x7FL) == 0) {
      bytes[size++] = (byte) value;
      return;
    }
    size += putVarint(bytes, size, value);
  }

  private void fixed64(long value) {
    ensure(8);
    LONG_LE.set(bytes, size, value);
    size += 8;
  }

  private void fixed32(int value) {
    ensure(4);
    INT_LE.set(bytes, size, value);
    size += 4;
  }

  private void utf8(CharSequence s) {
    int n = s.length();
    ensure(n * 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes[size++] = (byte) c;
      } else if (c < 0x800) {
        bytes[size++] = (byte) (0xC0 | (c >> 6));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        bytes[size++] = (byte) (0xF0 | (cp >> 18));
        bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // a lone surrogate has no UTF-8 form; String.getBytes(UTF_8) writes '?' for it too
        bytes[size++] = '?';
      } else {
        bytes[size++] = (byte) (0xE0 | (c >> 12));
        bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  /** Bytes the varint encoding of {@code value} takes: 1 to 10 (negative numbers take 10). */
  static int varintSize(long value) {
    return (63 - Long.numberOfLeadingZeros(value | 1)) / 7 + 1;
  }

  /** Writes {@code value} as a varint at {@code offset} of {@code target}; returns the bytes written. */
  static int putVarint(byte[] target, int offset, long value) {
    int p = offset;
    while ((value & ~0x7FL) != 0) {
      target[p++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    target[p++] = (byte) value;
    return p - offset;
  }

  private void ensure(int extra) {
    if (size + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
  }
}
