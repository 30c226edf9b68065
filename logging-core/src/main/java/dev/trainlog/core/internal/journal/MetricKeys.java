package dev.trainlog.core.internal.journal;

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

  /** The string the {@code n} bytes at {@code from} spell in UTF-8, the same instance for the same ASCII name. */
  String decode(byte[] bytes, int from, int n) {
    if (n > LONGEST) {
      return new String(bytes, from, n, StandardCharsets.UTF_8);
    }
    int h = 0;
    for (int i = 0; i < n; i++) {
      byte b = bytes[from + i];
      if (b < 0) {
        return new String(bytes, from, n, StandardCharsets.UTF_8); // not ASCII: not worth a slot
      }
      h = 31 * h + b;
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    String known = slots[slot];
    if (known != null && spells(known, bytes, from, n)) {
      return known;
    }
    String s = new String(bytes, from, n, StandardCharsets.US_ASCII);
    slots[slot] = s;
    return s;
  }

  private static boolean spells(String s, byte[] bytes, int from, int n) {
    if (s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) != bytes[from + i]) {
        return false;
      }
    }
    return true;
  }
}
