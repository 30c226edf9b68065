package dev.trainlog.core.spec;

import java.util.Locale;

/** What a logged record survives once {@code log()} returned. */
public enum Durability {
  /** A killed process (kill -9, the OOM killer, a JVM crash): the record is in the page cache. The default. */
  PROCESS,
  /** Also power loss: the journal is forced to the device every {@code fsync-interval}. */
  FSYNC;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
