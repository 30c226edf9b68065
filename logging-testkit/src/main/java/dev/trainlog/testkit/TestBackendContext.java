package dev.trainlog.testkit;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link BackendContext} for tests: a backend's settings view (the core's {@code SettingsView.of(key,
 * values)}, which also reports the problems found), the variables {@link #env} reads (nothing else: the
 * process environment is not consulted, so tests do not depend on the machine), a data directory and a clock.
 */
public final class TestBackendContext implements BackendContext {

  private final String name;
  private final RunInfo run;
  private final BackendSettings settings;
  private final Map<String, String> env;
  private final Path dataDir;
  private final Clock clock;

  /** No variables, and a clock fixed at {@link TestRecords#START_MILLIS}. */
  public TestBackendContext(String name, RunInfo run, BackendSettings settings, Path dataDir) {
    this(name, run, settings, Map.of(), dataDir,
        Clock.fixed(Instant.ofEpochMilli(TestRecords.START_MILLIS), ZoneOffset.UTC));
  }

  public TestBackendContext(String name, RunInfo run, BackendSettings settings, Map<String, String> env,
      Path dataDir, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.run = Objects.requireNonNull(run, "run");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.env = Map.copyOf(env);
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RunInfo run() {
    return run;
  }

  @Override
  public BackendSettings settings() {
    return settings;
  }

  @Override
  public String env(String variable) {
    return env.get(variable);
  }

  @Override
  public Path dataDir() {
    try {
      return Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }
}
