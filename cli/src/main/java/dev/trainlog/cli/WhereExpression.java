package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.query.spec.RunFilter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --where} condition on a runs document, {@code <field> <op> <value>} such as {@code
 * config.lora_rank=64} or {@code tags.team!=vision}; ops {@code = != < <= > >=}. A number also
 * matches its text form, since a YAML variable may have stored {@code "64"}. Errors point at the
 * character that is wrong.
 */
final class WhereExpression {

  private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_./\\-]*");
  private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final List<String> OPERATORS = RunFilter.Condition.OPERATORS;

  private WhereExpression() {}

  static RunFilter.Condition parse(String text) {
    int i = skipSpaces(text, 0);
    Matcher field = FIELD.matcher(text).region(i, text.length());
    if (!field.lookingAt()) {
      throw error(text, i, "expected a field name such as config.lora_rank");
    }
    String path = field.group();
    i = skipSpaces(text, field.end());
    String op = null;
    for (String candidate : OPERATORS) {
      if (text.startsWith(candidate, i)) {
        op = candidate;
        break;
      }
    }
    if (op == null) {
      throw error(text, i, "expected an operator (=, !=, <, <=, >, >=) after '" + path + "'");
    }
    i = skipSpaces(text, i + op.length());
    if (i >= text.length()) {
      throw error(text, i, "expected a value after '" + op + "'");
    }
    Object value = value(text, i);
    return new RunFilter.Condition(path, op, value);
  }

  private static Object value(String text, int i) {
    String raw = text.substring(i).trim();
    char c = raw.charAt(0);
    if (c == '\'' || c == '"') {
      int close = raw.indexOf(c, 1);
      if (close < 0) {
        throw error(text, text.length(), "expected a closing " + c);
      }
      if (close != raw.length() - 1) {
        throw error(text, i + close + 1, "unexpected text after the quoted value");
      }
      return raw.substring(1, close);
    }
    if (c == '=' || c == '<' || c == '>' || c == '!') {
      throw error(text, i, "expected a value, not another operator");
    }
    if (NUMBER.matcher(raw).matches()) {
      return raw.contains(".") || raw.contains("e") || raw.contains("E") ? (Object) Double.parseDouble(raw)
          : (Object) Long.parseLong(raw);
    }
    if (raw.equals("true") || raw.equals("false")) {
      return Boolean.parseBoolean(raw);
    }
    return raw;
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static CliException error(String text, int at, String what) {
    return CliException.usage("bad --where '" + text + "': " + what + " at character " + (at + 1) + "\n  " + text
        + "\n  " + " ".repeat(at) + "^");
  }
}
