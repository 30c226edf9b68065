package dev.trainlog.core.internal.config;

import dev.trainlog.api.Secrets;
import dev.trainlog.spi.ConfigProblem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads typed values out of one mapping of the (already expanded) YAML tree, adding a problem with
 * the full dotted key for every value that is missing or has the wrong form, and returning the
 * default so that reading goes on and every problem is found in one pass.
 */
final class SectionReader {

  private static final Logger log = LoggerFactory.getLogger(SectionReader.class);

  private final String key;
  private final Map<String, Object> map;
  private final ProblemList problems;

  private SectionReader(String key, Map<String, Object> map, ProblemList problems) {
    this.key = key;
    this.map = map;
    this.problems = problems;
  }

  /** A reader of {@code node}; a node that is not a mapping is a problem and reads as empty. */
  @SuppressWarnings("unchecked")
  static SectionReader of(Object node, String key, ProblemList problems) {
    if (node instanceof Map) {
      return new SectionReader(key, (Map<String, Object>) node, problems);
    }
    if (node != null) {
      problems.invalid(key, node, "a mapping of settings");
    }
    return new SectionReader(key, new LinkedHashMap<>(), problems);
  }

  /** The dotted key of this mapping. */
  String key() {
    return key;
  }

  String key(String name) {
    return ConfigSource.child(key, name);
  }

  boolean has(String name) {
    return map.get(name) != null;
  }

  Object raw(String name) {
    return map.get(name);
  }

  Map<String, Object> values() {
    return map;
  }

  /** Adds "is not a TrainLog setting" for each key outside {@code known}, with a suggestion when one is close. */
  void rejectUnknown(Collection<String> known) {
    for (String name : map.keySet()) {
      if (!known.contains(name)) {
        Optional<String> hint = Suggestions.closest(name, known);
        problems.add(new ConfigProblem(key(name),
            "is not a TrainLog setting" + hint.map(h -> "; did you mean `" + h + "`?").orElse("")));
      }
    }
  }

  String text(String name, String fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      problems.invalid(key(name), v, "a text value");
      return fallback;
    }
    return v.toString();
  }

  String requiredText(String name) {
    String v = text(name, null);
    if ((v == null || v.isBlank()) && !problems.has(key(name))) {
      problems.add(new ConfigProblem(key(name), "is required"));
    }
    return v;
  }

  int positiveInt(String name, int fallback) {
    return intAtLeast(name, fallback, 1, "a positive integer");
  }

  int nonNegativeInt(String name, int fallback) {
    return intAtLeast(name, fallback, 0, "a non-negative integer");
  }

  private int intAtLeast(String name, int fallback, int min, String requirement) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    Integer parsed = parseInt(v);
    if (parsed == null || parsed < min) {
      problems.invalid(key(name), v, requirement);
      return fallback;
    }
    return parsed;
  }

  /** An int from a YAML number or from a string that expansion produced; null when it is neither. */
  static Integer parseInt(Object v) {
    try {
      BigDecimal d = v instanceof Number ? new BigDecimal(v.toString()) : new BigDecimal(v.toString().trim());
      BigInteger i = d.toBigIntegerExact();
      return i.bitLength() < 32 ? i.intValue() : null;
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  boolean bool(String name, boolean fallback) {
    Object v = map.get(name);
    Boolean b = parseBoolean(v);
    if (v != null && b == null) {
      problems.invalid(key(name), v, "true or false");
    }
    return b == null ? fallback : b;
  }

  static Boolean parseBoolean(Object v) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      if (s.equalsIgnoreCase("true")) {
        return Boolean.TRUE;
      }
      if (s.equalsIgnoreCase("false")) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  Duration positiveDuration(String name, Duration fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    Duration d = Durations.positive(v);
    if (d == null) {
      problems.invalid(key(name), v, Durations.POSITIVE);
      return fallback;
    }
    return d;
  }

  /** The nested mapping under {@code name}, read like a section of its own (empty when absent). */
  SectionReader section(String name) {
    return of(map.get(name), key(name), problems);
  }

  /** Reports the value at {@code name} as not meeting {@code requirement}. */
  void invalid(String name, String requirement) {
    problems.invalid(key(name), map.get(name), requirement);
  }

  /**
   * A positive size in bytes: a whole number, or one with a unit ({@code 512KB}, {@code 64MiB},
   * {@code 2GiB}; KB/MB/GB are decimal, KiB/MiB/GiB binary).
   */
  long size(String name, long fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    long bytes = Sizes.positive(v);
    if (bytes > 0) {
      return bytes;
    }
    problems.invalid(key(name), v, Sizes.POSITIVE);
    return fallback;
  }

  /** A value from a fixed set of YAML spellings, e.g. {@code spill | block}. */
  <E> E oneOf(String name, E fallback, Function<String, E> parse, List<String> spellings) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    E e = v instanceof String ? parse.apply(((String) v).trim()) : null;
    if (e == null) {
      problems.invalid(key(name), v, "one of " + String.join(", ", spellings));
      return fallback;
    }
    return e;
  }

  /** A mapping whose values are text (numbers and booleans are written as text). */
  Map<String, String> textMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    SectionReader sub = of(map.get(name), key(name), problems);
    for (String k : sub.map.keySet()) {
      String v = sub.text(k, null);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  /** A list of text items; a single string counts as a list of one. */
  List<String> textList(String name, List<String> fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof String) {
      return List.of((String) v);
    }
    if (!(v instanceof List)) {
      problems.invalid(key(name), v, "a list of text values");
      return fallback;
    }
    List<String> out = new ArrayList<>();
    List<?> items = (List<?>) v;
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item == null || item instanceof Map || item instanceof List) {
        problems.invalid(key(name) + "[" + i + "]", item, "a text value");
      } else {
        out.add(item.toString());
      }
    }
    return List.copyOf(out);
  }

  /** An absolute URI whose scheme is one of {@code schemes} (any when none); a password is redacted in messages. */
  URI uri(String name, URI fallback, String... schemes) {
    String text = text(name, null);
    if (text == null || problems.has(key(name))) {
      return fallback;
    }
    List<String> allowed = new ArrayList<>();
    for (String s : schemes) {
      allowed.add(s.toLowerCase(Locale.ROOT));
    }
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean needsHost = text.contains("://");
      if (scheme != null && (allowed.isEmpty() || allowed.contains(scheme)) && (!needsHost || uri.getHost() != null)) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // refused below with the accepted forms
    }
    String requirement = allowed.isEmpty() ? "an absolute URI"
        : "a URI starting with " + String.join(" or ", allowed.stream().map(s -> s + "://").toList());
    problems.invalid(key(name), Secrets.redactText(text), requirement);
    return fallback;
  }

  /**
   * The one way a key that is no longer used is accepted: when it is set, one warning names it and says
   * what to do {@code instead}; its value is neither checked nor used.
   */
  void deprecated(String name, String instead) {
    if (has(name)) {
      log.warn("`{}` is deprecated and ignored: {}", key(name), instead);
    }
  }
}
