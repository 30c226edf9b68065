package dev.trainlog.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Secrets#redactYaml}: a YAML file's text read as lines of {@code key: value} and comments, so that a
 * value is hidden by the same key rule as a config map, and a comment's words are never taken for a pair.
 */
final class YamlRedaction {

  /** Indentation and list dashes, a plain or quoted key, its colon, and the rest of the line. */
  private static final Pattern KEY_LINE =
      Pattern.compile("(\\s*(?:-\\s+)*)(\"[^\"]*\"|'[^']*'|[^\\s\"'#{}\\[\\],][^#]*?)(\\s*:)(\\s+|$)(.*)");

  /** As {@link #KEY_LINE} inside a comment: one word as key, so that prose ("a secret: every ...") is none. */
  private static final Pattern COMMENTED_KEY_LINE = Pattern.compile("(\\s*(?:-\\s+)*)([\\w.-]+)(\\s*:)(\\s+)(\\S.*)");

  /** A value that opens a block (nested keys, a list, or a {@code |} or {@code >} scalar) on the lines below. */
  private static final Pattern OPENS_BLOCK = Pattern.compile("(?:[|>][+-]?[0-9]?[+-]?)?");

  private YamlRedaction() {}

  static String redact(String yaml) {
    StringBuilder out = new StringBuilder(yaml.length());
    int hiddenBelow = -1; // the column of the last secret key: what is indented more is its value, hidden
    boolean listsAtKey = false; // whether "- " lines at that column are its value too (a block under a plain key)
    for (String raw : yaml.split("\n", -1)) {
      boolean cr = raw.endsWith("\r");
      String line = cr ? raw.substring(0, raw.length() - 1) : raw;
      int indent = indentOf(line);
      if (hiddenBelow >= 0 && (line.isBlank() || indent > hiddenBelow
          || listsAtKey && indent == hiddenBelow && line.startsWith("-", indent))) {
        line = line.isBlank() ? line : line.substring(0, indent) + RunInfo.REDACTED;
      } else {
        hiddenBelow = -1;
        int hash = commentStart(line);
        String code = hash < 0 ? line : line.substring(0, hash);
        String comment = hash < 0 ? "" : line.substring(hash);
        Matcher m = KEY_LINE.matcher(code);
        if (m.matches() && Secrets.isSecretKey(unquoted(m.group(2)))) {
          String value = m.group(5).strip();
          hiddenBelow = m.group(1).length(); // the lines below a key are its value: a block, or a scalar's next lines
          listsAtKey = value.isEmpty() && m.group(1).indexOf('-') < 0;
          if (!OPENS_BLOCK.matcher(value).matches()) {
            code = m.group(1) + m.group(2) + m.group(3) + m.group(4) + RunInfo.REDACTED + trailingSpace(code);
          }
        } else if (m.matches()) {
          code = m.group(1) + m.group(2) + m.group(3) + m.group(4) + Secrets.redactText(m.group(5));
        } else {
          code = Secrets.redactText(code);
        }
        line = code + comment(comment);
      }
      out.append(line).append(cr ? "\r" : "").append('\n');
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }

  /** A comment with credentials in URIs hidden, and the value of a commented-out secret line. */
  private static String comment(String comment) {
    if (comment.isEmpty()) {
      return comment;
    }
    int body = 0;
    while (body < comment.length() && comment.charAt(body) == '#') {
      body++;
    }
    Matcher m = COMMENTED_KEY_LINE.matcher(comment.substring(body));
    if (m.matches() && Secrets.isSecretKey(m.group(2))) {
      return comment.substring(0, body) + m.group(1) + m.group(2) + m.group(3) + m.group(4) + RunInfo.REDACTED;
    }
    return Secrets.redactUris(comment);
  }

  /**
   * Where a comment starts: a {@code #} at the line's start or after a blank, outside a quoted scalar (a
   * quote opens one only where a value starts: first on the line, or after a blank, {@code [}, {@code {} or
   * {@code ,}). -1 when there is none.
   */
  static int commentStart(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      char before = i == 0 ? ' ' : line.charAt(i - 1);
      if (quote == '"' && c == '\\') {
        i++;
      } else if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if ((c == '"' || c == '\'') && (Character.isWhitespace(before) || "[{,".indexOf(before) >= 0)) {
        quote = c;
      } else if (c == '#' && Character.isWhitespace(before)) {
        return i;
      }
    }
    return -1;
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static String trailingSpace(String code) {
    return code.substring(code.stripTrailing().length());
  }

  private static String unquoted(String key) {
    return key.length() >= 2 && (key.charAt(0) == '"' || key.charAt(0) == '\'') ? key.substring(1, key.length() - 1)
        : key;
  }
}
