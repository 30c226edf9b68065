package dev.trainlog.core.internal.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable, reused byte array written big-endian like {@link java.io.DataOutput}, without the
 * stream layers: appending a record on the training thread should cost as little as possible.
 */
final class ByteSink {

  private byte[] bytes = new byte[512];
  private int size;

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
    bytes[size++] = (byte) (v >>> 24);
    bytes[size++] = (byte) (v >>> 16);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
  }

  void writeLong(long v) {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
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
