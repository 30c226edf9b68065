package dev.trainlog.core.internal.config;

import dev.trainlog.api.Secrets;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem found while loading, at most one per key (a value whose variable is
 * missing is not reported again as having the wrong type), and renders offending values redacted.
 */
final class ProblemList {

  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();

  void add(ConfigProblem problem) {
    if (keys.add(problem.key())) {
      problems.add(problem);
    }
  }

  void addAll(List<ConfigProblem> more) {
    more.forEach(this::add);
  }

  /** Adds {@code `key` was 'value' but it must be <requirement>} with the value redacted. */
  void invalid(String key, Object value, String requirement) {
    add(ConfigProblem.invalid(key, show(key, value), requirement));
  }

  boolean has(String key) {
    return keys.contains(key);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  List<ConfigProblem> list() {
    return List.copyOf(problems);
  }

  /** Throws one exception carrying every problem, located in {@code source} and in line order, if any. */
  void throwIfAny(ConfigSource source) {
    if (!problems.isEmpty()) {
      throw new ConfigException(located(source));
    }
  }

  /** The problems with their file and line, in line order. */
  List<ConfigProblem> located(ConfigSource source) {
    List<ConfigProblem> located = new ArrayList<>(source.locateAll(problems));
    located.sort(Comparator.comparingInt(p -> {
      int line = source.line(p.key());
      return line < 0 ? Integer.MAX_VALUE : line;
    }));
    return located;
  }

  /** How a value appears in a message: secrets under secret-looking keys and in URIs hidden. */
  static String show(String key, Object value) {
    String leaf = key.substring(Math.max(key.lastIndexOf('.'), key.lastIndexOf('[')) + 1);
    return Secrets.redactText(String.valueOf(Secrets.redactValue(leaf, value)));
  }
}
