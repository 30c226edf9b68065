package dev.trainlog.core.internal.config;

import java.time.Duration;
import java.util.List;

/** The {@code system:} section: whether a background thread samples the machine, and how often. */
public record SystemSection(boolean enabled, Duration interval) {

  static final List<String> KEYS = List.of("enabled", "interval");
  /** Off unless asked for; when on, every 10 seconds (MLflow's and W&B's default too). */
  public static final SystemSection OFF = new SystemSection(false, Duration.ofSeconds(10));

  static SystemSection read(SectionReader r) {
    r.rejectUnknown(KEYS);
    return new SystemSection(r.bool("enabled", r.has("interval")), r.positiveDuration("interval", OFF.interval()));
  }
}
