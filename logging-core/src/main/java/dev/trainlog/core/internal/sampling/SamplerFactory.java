package dev.trainlog.core.internal.sampling;

import dev.trainlog.core.spec.NonFinite;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleRule;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.Sampler;
import java.util.Map;
import java.util.Objects;

/**
 * The one place where sampling data becomes runtime samplers: a {@link SampleSpec}, already validated where
 * it was made, becomes one backend worker's {@link RecordSampler}, each rule a fresh stateful {@link Sampler}.
 */
public final class SamplerFactory {

  private SamplerFactory() {}

  /** A fresh sampler for one backend's worker, as {@code spec} says; never share it between workers. */
  public static RecordSampler recordSampler(SampleSpec spec) {
    Map<String, SampleSpec> overrides = spec.overrides();
    int groups = overrides.size() + 3; // base, overrides, images, artifacts
    Sampler[] samplers = new Sampler[groups];
    Reduce[] reduces = new Reduce[groups];
    Glob[] globs = new Glob[overrides.size()];
    samplers[0] = stepSampler(spec);
    reduces[0] = spec.reduce();
    int i = 0;
    for (Map.Entry<String, SampleSpec> e : overrides.entrySet()) {
      globs[i] = Glob.compile(e.getKey());
      samplers[i + 1] = stepSampler(e.getValue());
      reduces[i + 1] = spec.reduceFor(e.getKey());
      i++;
    }
    // images and artifacts are never folded: a skipped one is dropped; without a rule of their own images
    // are decided by the base rule's own sampler (null here), so a custom rule is made once per worker
    SampleSpec images = spec.imageRule();
    samplers[groups - 2] = images != null ? stepSampler(images) : null;
    reduces[groups - 2] = Reduce.NONE;
    samplers[groups - 1] = spec.artifactRule() != null ? stepSampler(spec.artifactRule()) : new Always();
    reduces[groups - 1] = Reduce.NONE;
    return new RecordSampler(KeyFilter.of(spec.include(), spec.exclude()), spec.nonFinite() == NonFinite.ALWAYS,
        samplers, reduces, globs);
  }

  /** A fresh instance of {@code spec}'s step rule, its {@code first} steps included. */
  static Sampler stepSampler(SampleSpec spec) {
    Sampler base = rule(spec.rule());
    return spec.first() > 0 ? new FirstThen(spec.first(), base) : base;
  }

  private static Sampler rule(SampleRule rule) {
    if (rule instanceof SampleRule.Every every) {
      return new EveryNSteps(every.steps());
    }
    if (rule instanceof SampleRule.EveryTime time) {
      return new EveryDuration(time.interval());
    }
    if (rule instanceof SampleRule.LogSpaced) {
      return new LogSpaced();
    }
    if (rule instanceof SampleRule.Custom custom) {
      return Objects.requireNonNull(custom.factory().get(), "the sampler factory returned null");
    }
    return new Always();
  }
}
