package dev.trainlog.core.internal.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable, reused byte array written big-endian like {@link java.io.DataOutput}, without the
 * stream layers: appending a record on the training thread should cost as little as possible.
 */
final class ByteSink {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** Map keys with their UTF-8 bytes, by hash: a run writes the same few keys every step. */
  private static final int KEY_SLOTS = 256;

  private byte[] bytes = new byte[512];
  private int size;
  private final EncodedKey[] keys = new EncodedKey[KEY_SLOTS];
  /** Set by {@link RecordCodec} while it writes a record whose values hold NaN or ±Infinity. */
  boolean nonFinite;

  private record EncodedKey(String key, byte[] utf8) {}

  void reset() {
    size = 0;
  }

  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  void writeByte(int v) {
    ensure(1);
    bytes[size++] = (byte) v;
  }

  void writeBoolean(boolean v) {
    writeByte(v ? 1 : 0);
  }

  void writeInt(int v) {
    ensure(4);
    INT.set(bytes, size, v);
    size += 4;
  }

  void writeLong(long v) {
    ensure(8);
    LONG.set(bytes, size, v);
    size += 8;
  }

  void writeDouble(double v) {
    writeLong(Double.doubleToRawLongBits(v));
  }

  /** An int length, then the UTF-8 bytes; ASCII text (metric keys, nearly always) is copied without allocating. */
  void writeString(String s) {
    int n = s.length();
    ensure(4 + n);
    int start = size + 4;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        writeUtf8(s);
        return;
      }
      bytes[start + i] = (byte) c;
    }
    writeInt(n);
    size += n;
  }

  /** As {@link #writeString} for a map key: its bytes are encoded once and copied after that. */
  void writeKey(String key) {
    int slot = key.hashCode() & (KEY_SLOTS - 1);
    EncodedKey e = keys[slot];
    if (e == null || (e.key != key && !e.key.equals(key))) {
      e = new EncodedKey(key, key.getBytes(StandardCharsets.UTF_8));
      keys[slot] = e;
    }
    writeInt(e.utf8.length);
    write(e.utf8, 0, e.utf8.length);
  }

  private void writeUtf8(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeInt(utf8.length);
    write(utf8, 0, utf8.length);
  }

  void write(byte[] src, int offset, int length) {
    ensure(length);
    System.arraycopy(src, offset, bytes, size, length);
    size += length;
  }

  private void ensure(int extra) {
    if (size + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
  }
}
