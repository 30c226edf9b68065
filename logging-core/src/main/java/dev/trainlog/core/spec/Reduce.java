package dev.trainlog.core.spec;

import java.util.Locale;

/**
 * How the steps a backend skips are folded into the next step it keeps ({@code reduce:}). Scalars
 * reduce over the values present, vectors element-wise when their lengths agree (else the last one),
 * texts keep the last value and nested maps reduce key by key.
 */
public enum Reduce {
  /** Skipped steps are dropped. */
  NONE,
  /** The most recent value of each key in the window. */
  LAST,
  /** The arithmetic mean of each key's values in the window. */
  MEAN,
  /** The smallest value of each key in the window. */
  MIN,
  /** The largest value of each key in the window. */
  MAX;

  /** The spelling used in YAML, e.g. {@code mean}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** How {@link SampleSpec#describe()} names it, e.g. {@code mean}. */
  String inWords() {
    switch (this) {
      case LAST:
        return "last value";
      case MIN:
        return "minimum";
      case MAX:
        return "maximum";
      default:
        return yamlName();
    }
  }
}
