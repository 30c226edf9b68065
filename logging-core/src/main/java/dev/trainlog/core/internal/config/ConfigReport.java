package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.spec.ChannelSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a YAML configuration resolves to, checked exactly as {@code LogDispatcher.fromYaml(path)}
 * checks it but without opening a journal or a backend: the run, the dispatcher settings and, per
 * backend, its worker settings, its sampling in words and its own settings with secrets redacted.
 */
public record ConfigReport(RunInfo run, DispatcherSection dispatcher, List<Backend> backends) {

  /** One backend as configured: {@code sampling} in words, inherited parts resolved. */
  public record Backend(String name, String type, String sampling, ChannelSettings channel,
      Map<String, Object> settings) {}

  /** Checks the YAML at {@code path} ({@code vars} before the environment); throws every problem at once. */
  public static ConfigReport check(Path path, Map<String, String> vars) {
    return DispatcherPlanner.check(path, vars, null);
  }

  /**
   * As {@link #check}, for a YAML whose run is given by the caller ({@code trainlog import} and {@code follow}
   * give one per run): its {@code run:} section is not required and its problems do not count.
   */
  public static ConfigReport check(Path path, Map<String, String> vars, RunInfo givenRun) {
    return DispatcherPlanner.check(path, vars, givenRun);
  }

  static Map<String, Object> redacted(Map<String, Object> settings) {
    Map<String, Object> out = new LinkedHashMap<>();
    settings.forEach((k, v) -> out.put(k, Secrets.redactValue(k, v)));
    return out;
  }
}
