package dev.trainlog.mongodb.internal.service;

/**
 * The order in which Java serialization's bytes sort two index keys that each hold one string: everything
 * before the string is the same bytes, then comes its length in modified UTF-8 (two bytes, big-endian), then
 * its modified UTF-8 bytes, compared unsigned. Strings of more than {@value #MAX_CHARS} characters may take
 * the long form and are left to serialization.
 */
final class SerializedStringOrder {

  /** The longest string surely written in the short form (three bytes per character at most): {@value}. */
  static final int MAX_CHARS = 0xFFFF / 3;

  private SerializedStringOrder() {}

  static int compare(String a, String b) {
    int la = utfLength(a);
    int lb = utfLength(b);
    if (la != lb) {
      return la < lb ? -1 : 1;
    }
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        return compareEncoded(ca, cb);
      }
    }
    // equal lengths in bytes and one a prefix of the other: only possible when they are equal
    return Integer.compare(a.length(), b.length());
  }

  private static int utfLength(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      n += bytes(s.charAt(i));
    }
    return n;
  }

  private static int bytes(char c) {
    return c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
  }

  /** Two different characters by their modified UTF-8 bytes, unsigned; no encoding is a prefix of another. */
  private static int compareEncoded(char a, char b) {
    int ea = encoded(a);
    int eb = encoded(b);
    // left-aligned in an int, so the first byte decides first
    return Integer.compareUnsigned(ea, eb);
  }

  private static int encoded(char c) {
    return switch (bytes(c)) {
      case 1 -> c << 24;
      case 2 -> (0xC0 | (c >> 6)) << 24 | (0x80 | (c & 0x3F)) << 16;
      default -> (0xE0 | (c >> 12)) << 24 | (0x80 | ((c >> 6) & 0x3F)) << 16 | (0x80 | (c & 0x3F)) << 8;
    };
  }
}
