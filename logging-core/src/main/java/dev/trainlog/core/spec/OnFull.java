package dev.trainlog.core.spec;

import java.util.Locale;

/** What a backend that lags behind does when the journal reaches its {@code max-size}. */
public enum OnFull {
  /** The backend gives up the oldest segment it has not read (counted as dropped); training goes on. The default. */
  DROP_OLDEST,
  /** Logging waits until the backend has read past the oldest segment: loses nothing, can stall training. */
  BLOCK;

  /** The YAML spelling: {@code drop-oldest}, {@code block}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses the YAML spelling; {@code null} when it is neither. */
  public static OnFull fromYaml(String value) {
    for (OnFull p : values()) {
      if (p.yamlName().equals(value)) {
        return p;
      }
    }
    return null;
  }
}
