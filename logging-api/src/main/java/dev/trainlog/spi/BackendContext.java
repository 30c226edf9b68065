package dev.trainlog.spi;

import dev.trainlog.api.RunInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What a provider gets to build one backend instance. */
public interface BackendContext {

  /** The instance name, the key under {@code backends:} in YAML (e.g. {@code mongo}). */
  String name();

  /** The run every record of this dispatcher belongs to (config already redacted). */
  RunInfo run();

  /**
   * The backend's own YAML settings (worker and sampling settings removed, {@code ${VAR}} expanded), read
   * through a typed view that collects every problem.
   */
  BackendSettings settings();

  /**
   * The variable {@code name}: the {@code vars} given to {@code LogDispatcher.fromYaml(path, vars)} first, then
   * the process environment; {@code null} when neither sets it. Read credentials through this, never {@code
   * System.getenv}, so that {@code vars} take precedence.
   */
  String env(String name);

  /** A directory this backend may keep state in (created on demand). */
  Path dataDir();

  /** The clock the dispatcher uses; tests inject a fixed one. */
  Clock clock();

  /**
   * How every backend of this dispatcher samples, in words, by backend name: for a backend that
   * records a run's setup (MongoDB's runs document). Complete by the time {@code open()} is called;
   * empty for a dispatcher built in code.
   */
  default Map<String, String> sampling() {
    return Map.of();
  }
}
