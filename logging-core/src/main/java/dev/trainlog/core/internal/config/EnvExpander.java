package dev.trainlog.core.internal.config;

import dev.trainlog.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands environment references inside one scalar: {@code ${VAR}}, {@code ${VAR:-default}} (default
 * when VAR is unset or empty), {@code ${VAR:+alt}} (alt when VAR is set and non-empty, else empty)
 * and {@code $$} for a literal {@code $}. Defaults and alternatives may themselves hold references.
 */
final class EnvExpander {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");

  private final Map<String, String> env;

  EnvExpander(Map<String, String> env) {
    this.env = env;
  }

  /** The expanded text, or {@code null} after adding a problem for {@code key} to {@code problems}. */
  String expand(String text, String key, ProblemList problems) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
      } else if (text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (text.charAt(i + 1) == '{') {
        int end = closingBrace(text, i + 2);
        if (end < 0) {
          problems.add(new ConfigProblem(key, "has a ${ without its closing }"));
          return null;
        }
        String value = reference(text.substring(i + 2, end), key, problems);
        if (value == null) {
          return null;
        }
        out.append(value);
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String reference(String body, String key, ProblemList problems) {
    int op = body.indexOf(':');
    String name = op < 0 ? body : body.substring(0, op);
    if (!NAME.matcher(name).matches() || (op >= 0 && (op + 1 >= body.length()
        || (body.charAt(op + 1) != '-' && body.charAt(op + 1) != '+')))) {
      problems.add(new ConfigProblem(key, "has ${" + body + "} but it must be ${VAR}, ${VAR:-default} or ${VAR:+alt}"));
      return null;
    }
    String value = env.get(name);
    boolean present = value != null && !value.isEmpty();
    if (op < 0) {
      if (value == null) {
        problems.add(new ConfigProblem(key, "uses ${" + name + "} but that environment variable is not set"));
      }
      return value;
    }
    String operand = body.substring(op + 2);
    if (body.charAt(op + 1) == '-') {
      return present ? value : expand(operand, key, problems);
    }
    return present ? expand(operand, key, problems) : "";
  }

  /** A copy of a YAML subtree with every string scalar expanded; a failed scalar becomes {@code null}. */
  Object expandTree(Object node, String key, ProblemList problems) {
    return expandTree(node, key, null, false, problems);
  }

  /**
   * As {@link #expandTree(Object, String, ProblemList)}, but at {@code typedKey} and below (nowhere when it is
   * null) a scalar that is one whole reference ({@code lr: ${LR}}, {@code "${STEPS:-5000}"}) takes the type its
   * value has in YAML, see {@link #yamlTyped}. Every other scalar keeps the type the YAML gave it: {@code "0123"}
   * and {@code "v${VER}"} stay text.
   */
  Object expandTree(Object node, String key, String typedKey, ProblemList problems) {
    return expandTree(node, key, typedKey, false, problems);
  }

  private Object expandTree(Object node, String key, String typedKey, boolean typed, ProblemList problems) {
    boolean typedHere = typed || key.equals(typedKey);
    if (node instanceof String) {
      String text = (String) node;
      String value = expand(text, key, problems);
      return typedHere && value != null && isOneReference(text) ? yamlTyped(value) : value;
    }
    if (node instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
        String name = String.valueOf(e.getKey());
        out.put(name, expandTree(e.getValue(), ConfigSource.child(key, name), typedKey, typedHere, problems));
      }
      return out;
    }
    if (node instanceof List) {
      List<?> in = (List<?>) node;
      List<Object> out = new ArrayList<>(in.size());
      for (int i = 0; i < in.size(); i++) {
        out.add(expandTree(in.get(i), key + "[" + i + "]", typedKey, typedHere, problems));
      }
      return out;
    }
    return node;
  }

  /** Whether {@code text} is exactly one {@code ${...}} reference, with nothing before or after it. */
  private static boolean isOneReference(String text) {
    return text.startsWith("${") && closingBrace(text, 2) == text.length() - 1;
  }

  /**
   * The value of a variable typed as YAML would type it written plainly: an integer (an {@code Integer} when it
   * fits, else a {@code Long}), a decimal ({@code 1e-4} too) as a {@code Double}, {@code true} or {@code false} as
   * a {@code Boolean}; any other value stays text.
   */
  private static Object yamlTyped(String value) {
    String s = value.trim();
    if (INTEGER.matcher(s).matches()) {
      long n = Long.parseLong(s);
      return n == (int) n ? (Object) (int) n : (Object) n;
    }
    if (DECIMAL.matcher(s).matches()) {
      return Double.parseDouble(s);
    }
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    return value;
  }

  /** The index of the } closing a ${ whose body starts at {@code from}, counting nested ${...}. */
  private static int closingBrace(String text, int from) {
    int depth = 1;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        depth++;
        i++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
