package dev.trainlog.core.internal.config;

import dev.trainlog.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where each setting of a configuration was written: the source name (a file name as given, or a
 * name the caller chose for YAML from a string) and the line of every dotted key. Anyone who finds a
 * problem later (a backend, a sampler) passes it through {@link #locate} to get {@code file:line}.
 */
public final class ConfigSource {

  private final String name;
  private final Map<String, Integer> lines;

  /** A source whose keys were written on the given lines; the root key {@code ""} is the document start. */
  public ConfigSource(String name, Map<String, Integer> lines) {
    this.name = Objects.requireNonNull(name, "name");
    this.lines = Collections.unmodifiableMap(new LinkedHashMap<>(lines));
  }

  /** A source for settings made in code: problems keep no location. */
  public static ConfigSource programmatic(String name) {
    return new ConfigSource(name, Map.of());
  }

  /** The file name as given, or the name the caller gave YAML read from a string or stream. */
  public String name() {
    return name;
  }

  /** The line of {@code key} or of its longest known prefix; -1 when nothing is known. */
  public int line(String key) {
    String k = key;
    while (true) {
      Integer line = lines.get(k);
      if (line != null) {
        return line;
      }
      if (k.isEmpty()) {
        return -1;
      }
      k = parent(k);
    }
  }

  /** {@code name:line} for {@code key} (see {@link #line}), or {@code null} when no line is known. */
  public String location(String key) {
    int line = line(key);
    return line < 0 ? null : name + ":" + line;
  }

  /** The problem with this source's location attached, unless it already has one. */
  public ConfigProblem locate(ConfigProblem problem) {
    if (problem.location() != null) {
      return problem;
    }
    String location = location(problem.key());
    return location == null ? problem : problem.at(location);
  }

  /** {@link #locate} applied to each problem, order kept. */
  public List<ConfigProblem> locateAll(List<ConfigProblem> problems) {
    List<ConfigProblem> out = new ArrayList<>(problems.size());
    for (ConfigProblem p : problems) {
      out.add(locate(p));
    }
    return out;
  }

  /** {@code a.b[2]} -> {@code a.b}, {@code a.b} -> {@code a}, {@code a} -> {@code ""}. */
  static String parent(String key) {
    int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    return cut < 0 ? "" : key.substring(0, cut);
  }

  /** The dotted key of {@code child} under {@code parent} (the root is {@code ""}). */
  static String child(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  @Override
  public String toString() {
    return "ConfigSource{" + name + ", " + lines.size() + " keys}";
  }
}
