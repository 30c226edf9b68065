package dev.trainlog.core.spec;

import dev.trainlog.spi.Sampler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The base rule of a {@link SampleSpec}: which steps it keeps before its first steps, overrides, reduction
 * and key filter apply. Data only; the core builds one stateful sampler per backend worker from it.
 */
public sealed interface SampleRule permits SampleRule.Always, SampleRule.Every, SampleRule.EveryTime,
    SampleRule.LogSpaced, SampleRule.Custom {

  /** The rule as the start log line and {@code config check} say it, e.g. {@code every 10 steps}. */
  String inWords();

  /** Keeps every step. */
  record Always() implements SampleRule {
    @Override
    public String inWords() {
      return "every step";
    }

    @Override
    public String toString() {
      return "always";
    }
  }

  /** Keeps steps that are a multiple of {@code steps} (positive). */
  record Every(long steps) implements SampleRule {
    @Override
    public String inWords() {
      return steps == 1 ? "every step" : toString();
    }

    @Override
    public String toString() {
      return "every " + steps + " steps";
    }
  }

  /** Keeps the first step, then one whenever {@code interval} (positive) of record wall time has passed. */
  record EveryTime(Duration interval) implements SampleRule {
    @Override
    public String inWords() {
      return "the first step, then one every " + text(interval) + " of logged time";
    }

    @Override
    public String toString() {
      return "every " + text(interval);
    }
  }

  /** Keeps steps 0, 1, 2, 5, 10, 20, 50, 100, ... */
  record LogSpaced() implements SampleRule {
    @Override
    public String inWords() {
      return "log-spaced steps (0, 1, 2, 5, 10, 20, 50, 100, ...)";
    }

    @Override
    public String toString() {
      return "log-spaced";
    }
  }

  /** A rule of your own: {@code factory} makes one sampler per backend worker (or per override). */
  record Custom(String name, String words, Supplier<? extends Sampler> factory) implements SampleRule {
    public Custom {
      Objects.requireNonNull(name, "description");
      Objects.requireNonNull(words, "description");
      Objects.requireNonNull(factory, "factory");
    }

    @Override
    public String inWords() {
      return words;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A duration the way users write it, e.g. {@code 2s}. */
  private static String text(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
