package dev.trainlog.core;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.config.ConfigReport;
import dev.trainlog.core.internal.config.DispatcherSection;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Durability;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A YAML configuration checked exactly as {@link LogDispatcher#fromYaml} checks it, backends included, but
 * without opening a journal or a backend: the run, where the journal is, and per backend its worker settings,
 * its sampling in words and its own settings with secrets redacted. What {@code trainlog config check} prints.
 */
public record ConfigCheck(RunInfo run, Journal journal, List<Backend> backends) {

  /** One backend as configured: {@code sampling} in words, inherited parts resolved, secrets redacted. */
  public record Backend(String name, String type, String sampling, ChannelSettings channel,
      Map<String, Object> settings) {

    /** Copies {@code settings}. */
    public Backend {
      settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }
  }

  /** The {@code dispatcher:} section's journal: its directory, durability, size limit, and the dead letters' directory. */
  public record Journal(Path dir, Durability durability, long maxSize, OnFull onFull, Path deadLetterDir) {}

  /** Copies {@code backends}. */
  public ConfigCheck {
    backends = List.copyOf(backends);
  }

  /**
   * Checks the YAML at {@code yaml}, {@code vars} expanding before the environment.
   *
   * @throws ConfigException with every problem at once
   */
  public static ConfigCheck of(Path yaml, Map<String, String> vars) {
    return from(ConfigReport.check(yaml, vars));
  }

  /**
   * As {@link #of}, for a YAML whose run the caller gives ({@code trainlog import} and {@code follow} give one per
   * run): its {@code run:} section is not required and its problems do not count.
   */
  public static ConfigCheck ofGivenRun(Path yaml, Map<String, String> vars, RunInfo run) {
    return from(ConfigReport.check(yaml, vars, run));
  }

  private static ConfigCheck from(ConfigReport report) {
    DispatcherSection d = report.dispatcher();
    return new ConfigCheck(report.run(),
        new Journal(d.journalDir(), d.durability(), d.journalMaxSize(), d.onFull(), d.deadLetterDir()),
        report.backends().stream()
            .map(b -> new Backend(b.name(), b.type(), b.sampling(), b.channel(), b.settings())).toList());
  }
}
