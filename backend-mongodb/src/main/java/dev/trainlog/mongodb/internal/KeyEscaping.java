package dev.trainlog.mongodb.internal;

/**
 * The reversible mapping of metric keys to MongoDB field names. A '.' would split a key into a path
 * and a leading '$' reads as an operator (real MongoDB stores both but cannot index or query them),
 * so they are percent-encoded, and so is '%' itself so that decoding is exact.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>in a key</th><th>stored as</th></tr>
 *   <tr><td>{@code %}</td><td>{@code %25}</td></tr>
 *   <tr><td>{@code .}</td><td>{@code %2E}</td></tr>
 *   <tr><td>{@code $} (first character only)</td><td>{@code %24}</td></tr>
 *   <tr><td>NUL</td><td>{@code %00}</td></tr>
 * </table>
 * Readers of the store use it through the public {@code StoreSchema}.
 */
public final class KeyEscaping {

  private KeyEscaping() {}

  /** The field name a metric key is stored under; a key needing no escape is returned as is. */
  public static String escape(String key) {
    if (!needsEscape(key)) {
      return key;
    }
    StringBuilder sb = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '%') {
        sb.append("%25");
      } else if (c == '.') {
        sb.append("%2E");
      } else if (c == '$' && i == 0) {
        sb.append("%24");
      } else if (c == '\0') {
        sb.append("%00");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The metric key a stored field name came from: the inverse of {@link #escape}. */
  public static String unescape(String field) {
    if (field.indexOf('%') < 0) {
      return field;
    }
    StringBuilder sb = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '%' && i + 2 < field.length()) {
        sb.append((char) Integer.parseInt(field.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean needsEscape(String key) {
    return key.startsWith("$") || key.indexOf('.') >= 0 || key.indexOf('%') >= 0 || key.indexOf('\0') >= 0;
  }
}
