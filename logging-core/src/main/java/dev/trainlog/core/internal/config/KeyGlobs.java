package dev.trainlog.core.internal.config;

import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend's {@code include:} and {@code exclude:} globs as read from YAML, each absent, one glob or a list
 * of globs; compiled later, once, by the backend's sampler.
 */
public record KeyGlobs(List<String> include, List<String> exclude) {

  private static final String GLOB_LIST = "a list of key globs such as [loss, eval/*]";

  /**
   * Reads the two nodes of the backend at dotted key {@code key} (e.g. {@code backends.mongo}); every bad
   * glob is reported at once, each with its own key.
   */
  public static KeyGlobs parse(String key, Object include, Object exclude) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<String> in = globs(key + ".include", include, problems);
    List<String> ex = globs(key + ".exclude", exclude, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new KeyGlobs(List.copyOf(in), List.copyOf(ex));
  }

  private static List<String> globs(String key, Object node, List<ConfigProblem> problems) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node instanceof String) {
      addGlob(key, node, out, problems);
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        addGlob(key + "[" + i + "]", list.get(i), out, problems);
      }
    } else {
      problems.add(ConfigProblem.invalid(key, node, GLOB_LIST));
    }
    return out;
  }

  private static void addGlob(String key, Object value, List<String> out, List<ConfigProblem> problems) {
    if (value instanceof String s && !s.isEmpty()) {
      out.add(s);
    } else {
      problems.add(ConfigProblem.invalid(key, value, "a non-empty key glob such as eval/*"));
    }
  }
}
