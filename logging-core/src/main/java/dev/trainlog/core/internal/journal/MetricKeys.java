package dev.trainlog.core.internal.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The metric names a reader decodes, kept once: a run logs the same few keys every step, and each backend
 * decoded each of them into a new string per record (a quarter of what B1 allocated per {@code log()}).
 * A fixed table of slots by hash; a slot is overwritten on a clash, and a racing reader at worst decodes the
 * name again, since strings are immutable and safely published.
 */
final class MetricKeys {

  private static final int SLOTS = 1024;
  /** Longer names are decoded each time: they are rare, and comparing them costs about what decoding does. */
  private static final int LONGEST = 96;

  private final String[] slots = new String[SLOTS];

  /**
   * The string the {@code n} bytes at {@code from} of {@code bytes} spell in UTF-8 (absolute reads: the buffer's
   * position is left alone), the same instance for the same ASCII name.
   */
  String decode(ByteBuffer bytes, int from, int n) {
    if (n > LONGEST) {
      return utf8(bytes, from, n);
    }
    int h = 0;
    for (int i = 0; i < n; i++) {
      byte b = bytes.get(from + i);
      if (b < 0) {
        return utf8(bytes, from, n); // not ASCII: not worth a slot
      }
      h = 31 * h + b;
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    String known = slots[slot];
    if (known != null && spells(known, bytes, from, n)) {
      return known;
    }
    String s = utf8(bytes, from, n); // ASCII here, so one byte per char
    slots[slot] = s;
    return s;
  }

  private static String utf8(ByteBuffer bytes, int from, int n) {
    byte[] b = new byte[n];
    bytes.get(from, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static boolean spells(String s, ByteBuffer bytes, int from, int n) {
    if (s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) != bytes.get(from + i)) {
        return false;
      }
    }
    return true;
  }
}
