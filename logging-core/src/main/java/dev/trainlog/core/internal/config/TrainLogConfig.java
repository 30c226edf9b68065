package dev.trainlog.core.internal.config;

import java.util.List;
import java.util.Objects;

/** A loaded and validated TrainLog configuration: the run, the dispatcher and the enabled backends. */
public final class TrainLogConfig {

  private final RunSection run;
  private final DispatcherSection dispatcher;
  private final List<BackendSection> backends;
  private final List<String> disabledBackends;
  private final ConfigSource source;
  private final SystemSection system;

  public TrainLogConfig(RunSection run, DispatcherSection dispatcher, List<BackendSection> backends,
      ConfigSource source) {
    this(run, dispatcher, backends, source, List.of());
  }

  /** A config that still holds {@code problems} (from a loader that collects instead of throwing). */
  public TrainLogConfig(RunSection run, DispatcherSection dispatcher, List<BackendSection> backends,
      ConfigSource source, List<dev.trainlog.spi.ConfigProblem> problems) {
    this(run, dispatcher, backends, List.of(), source, problems);
  }

  /** As above, naming the backends the YAML declares but disables ({@code enabled: false}). */
  public TrainLogConfig(RunSection run, DispatcherSection dispatcher, List<BackendSection> backends,
      List<String> disabledBackends, ConfigSource source, List<dev.trainlog.spi.ConfigProblem> problems) {
    this(run, dispatcher, SystemSection.OFF, backends, disabledBackends, source, problems);
  }

  /** As above, with the {@code system:} section. */
  public TrainLogConfig(RunSection run, DispatcherSection dispatcher, SystemSection system,
      List<BackendSection> backends, List<String> disabledBackends, ConfigSource source,
      List<dev.trainlog.spi.ConfigProblem> problems) {
    this.system = Objects.requireNonNull(system, "system");
    this.disabledBackends = List.copyOf(disabledBackends);
    this.problems = List.copyOf(problems);
    this.run = Objects.requireNonNull(run, "run");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.backends = List.copyOf(backends);
    this.source = Objects.requireNonNull(source, "source");
  }

  private final List<dev.trainlog.spi.ConfigProblem> problems;

  /** Problems found while loading, located and in line order; empty unless the loader collects problems. */
  public List<dev.trainlog.spi.ConfigProblem> problems() {
    return problems;
  }

  /** The names of the backends declared with {@code enabled: false} (or empty), in YAML order. */
  public List<String> disabledBackends() {
    return disabledBackends;
  }

  public RunSection run() {
    return run;
  }

  public DispatcherSection dispatcher() {
    return dispatcher;
  }

  /** The {@code system:} section; {@link SystemSection#OFF} when the YAML has none. */
  public SystemSection system() {
    return system;
  }

  /** The enabled backends in the order the YAML lists them; disabled ones are left out entirely. */
  public List<BackendSection> backends() {
    return backends;
  }

  /** Where the configuration came from, to attach {@code file:line} to problems found later. */
  public ConfigSource source() {
    return source;
  }

  /** Secrets in the run config and backend settings are redacted. */
  @Override
  public String toString() {
    return "TrainLogConfig{source=" + source.name() + ", " + run + ", " + dispatcher + ", backends=" + backends + "}";
  }
}
