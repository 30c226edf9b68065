package dev.trainlog.core.internal.sampling;

/**
 * A metric-key pattern where {@code *} matches any run of characters, '/' included; every other
 * character is literal. Compiled once into its literal parts so matching is a few string scans.
 */
final class Glob {

  private final String pattern;
  private final String[] parts;
  private final int minLength;

  private Glob(String pattern) {
    this.pattern = pattern;
    this.parts = pattern.split("\\*", -1);
    int len = 0;
    for (String p : parts) {
      len += p.length();
    }
    this.minLength = len;
  }

  static Glob compile(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("a glob must not be empty");
    }
    return new Glob(pattern);
  }

  boolean matches(String key) {
    if (parts.length == 1) {
      return key.equals(pattern);
    }
    if (key.length() < minLength) {
      return false;
    }
    String head = parts[0];
    String tail = parts[parts.length - 1];
    if (!key.startsWith(head) || !key.endsWith(tail)) {
      return false;
    }
    int from = head.length();
    int end = key.length() - tail.length();
    // Taking each middle part at its leftmost position leaves the most room for the rest.
    for (int i = 1; i < parts.length - 1; i++) {
      int at = key.indexOf(parts[i], from);
      if (at < 0 || at + parts[i].length() > end) {
        return false;
      }
      from = at + parts[i].length();
    }
    return true;
  }

  String pattern() {
    return pattern;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
