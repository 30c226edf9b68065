package dev.trainlog.core.spec;

import java.util.Locale;

/** What a backend does with a step that holds NaN or ±Infinity ({@code non-finite:}). */
public enum NonFinite {
  /** Kept whole, past every sampler, so an exploding loss is never sampled out. */
  ALWAYS,
  /** Sampled (and reduced) like any other step. */
  SAMPLE;

  /** The spelling used in YAML, e.g. {@code always}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
