package dev.trainlog.core.spec;

import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Sampler;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One backend's sampling rule, from its {@code sample:} block or built in code: a base {@link SampleRule}, an
 * optional number of first steps kept, a reduction of skipped steps, the non-finite policy and
 * per-key overrides, and which keys the backend receives at all. Immutable data, validated once where
 * it is made; each backend's worker builds its own stateful sampler from it.
 *
 * <pre>{@code
 * SampleSpec.every(100).reduce(Reduce.MEAN).override("eval/*", SampleSpec.always())
 * }</pre>
 */
public final class SampleSpec {

  /** What skipped steps become when no {@code reduce} is set: dropped. */
  public static final Reduce DEFAULT_REDUCE = Reduce.NONE;

  /** What happens to NaN and ±Infinity when no {@code non-finite} is set: always kept. */
  public static final NonFinite DEFAULT_NON_FINITE = NonFinite.ALWAYS;

  private static final SampleSpec ALWAYS = new SampleSpec(new SampleRule.Always());

  private static final String POSITIVE_DURATION = "a positive duration such as 500ms, 2s or 5m";

  private final SampleRule rule;
  private final long first;
  private final Reduce reduce;
  private final NonFinite nonFinite;
  private final Map<String, SampleSpec> overrides;
  private final List<String> include;
  private final List<String> exclude;
  private SampleSpec images;
  private SampleSpec artifacts;

  private SampleSpec(SampleRule rule) {
    this(rule, 0, null, null, Map.of(), List.of(), List.of());
  }

  /** A copy of this spec with its per-kind rules; the constructors above leave them unset. */
  private SampleSpec withKinds(SampleSpec imageRule, SampleSpec artifactRule) {
    SampleSpec copy = new SampleSpec(rule, first, reduce, nonFinite, overrides, include, exclude);
    copy.images = imageRule;
    copy.artifacts = artifactRule;
    return copy;
  }

  /**
   * Decides image values not matched by an override by {@code spec} ({@code sample: {images: {every: 500}}})
   * instead of the base rule. Images are never reduced: a skipped image is dropped.
   */
  public SampleSpec images(SampleSpec spec) {
    return withKinds(kindRule("images", spec), artifacts);
  }

  /** Decides artifacts not matched by an override by {@code spec}; unset, every artifact is kept. */
  public SampleSpec artifacts(SampleSpec spec) {
    return withKinds(images, kindRule("artifacts", spec));
  }

  /** The rule for images, or {@code null} when they follow the base rule. */
  public SampleSpec imageRule() {
    return images;
  }

  /** The rule for artifacts, or {@code null} when every artifact is kept. */
  public SampleSpec artifactRule() {
    return artifacts;
  }

  /** {@code to} with this spec's per-kind rules: every wither keeps them. */
  private SampleSpec carry(SampleSpec to) {
    to.images = images;
    to.artifacts = artifacts;
    return to;
  }

  private static SampleSpec kindRule(String kind, SampleSpec spec) {
    Objects.requireNonNull(spec, kind);
    if (!spec.overrides.isEmpty() || spec.nonFinite != null || !spec.include.isEmpty() || !spec.exclude.isEmpty()) {
      throw new ConfigException(new ConfigProblem("sample." + kind, "takes a rule only (every, every-time, first,"
          + " log-spaced, always, type), no overrides, key filters or non-finite"));
    }
    return spec;
  }

  private SampleSpec(SampleRule rule, long first, Reduce reduce, NonFinite nonFinite, Map<String, SampleSpec> overrides,
      List<String> include, List<String> exclude) {
    this.rule = rule;
    this.first = first;
    this.reduce = reduce;
    this.nonFinite = nonFinite;
    this.overrides = overrides;
    this.include = include;
    this.exclude = exclude;
  }

  /** Keeps every step. */
  public static SampleSpec always() {
    return ALWAYS;
  }

  /** Keeps steps that are a multiple of {@code n}. */
  public static SampleSpec every(long n) {
    requirePositive("sample.every", n);
    return new SampleSpec(new SampleRule.Every(n));
  }

  /** Keeps the first step, then one whenever {@code interval} of record wall time has passed. */
  public static SampleSpec everyTime(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new ConfigException(ConfigProblem.invalid("sample.every-time", interval, POSITIVE_DURATION));
    }
    return new SampleSpec(new SampleRule.EveryTime(interval));
  }

  /** Keeps steps 0, 1, 2, 5, 10, 20, 50, 100, ... */
  public static SampleSpec logSpaced() {
    return new SampleSpec(new SampleRule.LogSpaced());
  }

  /**
   * A rule of your own. This one instance serves every backend the spec is given to, so give the spec
   * to one backend only, or use {@link #customFactory} for a stateful rule.
   */
  public static SampleSpec custom(Sampler sampler) {
    Objects.requireNonNull(sampler, "sampler");
    return new SampleSpec(new SampleRule.Custom("custom " + sampler, "custom rule " + sampler, () -> sampler));
  }

  /** A rule of your own, created afresh for each backend the spec is given to. */
  public static SampleSpec customFactory(Supplier<? extends Sampler> factory) {
    return custom("custom", factory);
  }

  /**
   * As {@link #customFactory(Supplier)}, with the rule in words, as the start log line and {@code config
   * check} show it (e.g. {@code sampler type 'modulo' {divisor=3}}).
   */
  public static SampleSpec custom(String description, Supplier<? extends Sampler> factory) {
    return new SampleSpec(new SampleRule.Custom(description, description, factory));
  }

  /** Also keeps every step below {@code n}, before this rule applies. */
  public SampleSpec first(long n) {
    requirePositive("sample.first", n);
    return carry(new SampleSpec(rule, n, reduce, nonFinite, overrides, include, exclude));
  }

  /** Folds skipped steps into the next kept one; an override without its own inherits this. */
  public SampleSpec reduce(Reduce newReduce) {
    return carry(new SampleSpec(rule, first, Objects.requireNonNull(newReduce, "reduce"), nonFinite,
        overrides, include, exclude));
  }

  /** Whether records with NaN or ±Infinity bypass sampling; only meaningful on the top-level spec. */
  public SampleSpec nonFinite(NonFinite policy) {
    return carry(new SampleSpec(rule, first, reduce, Objects.requireNonNull(policy, "nonFinite"),
        overrides, include, exclude));
  }

  /**
   * Decides the top-level keys matching {@code glob} by {@code spec} instead of this rule. The first
   * matching override, in the order added, wins; an override cannot have overrides of its own.
   */
  public SampleSpec override(String glob, SampleSpec spec) {
    String key = "sample.overrides." + glob;
    if (glob == null || glob.isEmpty()) {
      throw new ConfigException(ConfigProblem.invalid("sample.overrides", glob, "a non-empty key glob"));
    }
    if (!spec.overrides.isEmpty()) {
      throw new ConfigException(new ConfigProblem(key + ".overrides", "can only be set on `sample`, not in an override"));
    }
    if (spec.nonFinite != null) {
      throw new ConfigException(new ConfigProblem(key + ".non-finite", "can only be set on `sample`, not in an override"));
    }
    if (!spec.include.isEmpty() || !spec.exclude.isEmpty()) {
      throw new ConfigException(new ConfigProblem(key, "cannot filter keys: set `keys` on the spec it overrides"));
    }
    Map<String, SampleSpec> more = new LinkedHashMap<>(overrides);
    more.put(glob, spec);
    return carry(new SampleSpec(rule, first, reduce, nonFinite, Collections.unmodifiableMap(more), include,
        exclude));
  }

  /** The reduction in effect at this level ({@link #DEFAULT_REDUCE} when unset). */
  public Reduce reduce() {
    return reduce == null ? DEFAULT_REDUCE : reduce;
  }

  /** The non-finite policy in effect ({@link #DEFAULT_NON_FINITE} when unset). */
  public NonFinite nonFinite() {
    return nonFinite == null ? DEFAULT_NON_FINITE : nonFinite;
  }

  /** Steps below this are all kept; 0 when unset. */
  public long first() {
    return first;
  }

  /** The overrides by key glob, in declaration order. */
  public Map<String, SampleSpec> overrides() {
    return overrides;
  }

  /**
   * The reduction for keys under the override {@code glob}: the override's own, else this spec's; {@code
   * null} when there is no such override.
   */
  public Reduce reduceFor(String glob) {
    SampleSpec o = overrides.get(glob);
    return o == null ? null : o.reduce != null ? o.reduce : reduce();
  }

  /**
   * Keeps only the top-level keys that match one of the {@code include} globs (every key when it is empty)
   * and none of the {@code exclude} globs, as a backend's {@code include:} and {@code exclude:} in YAML do;
   * {@code *} matches any run of characters, '/' included.
   */
  public SampleSpec keys(List<String> include, List<String> exclude) {
    requireGlobs(include);
    requireGlobs(exclude);
    return carry(new SampleSpec(rule, first, reduce, nonFinite, overrides, List.copyOf(include),
        List.copyOf(exclude)));
  }

  /** The include globs of {@link #keys}; empty when every key is included. */
  public List<String> include() {
    return include;
  }

  /** The exclude globs of {@link #keys}. */
  public List<String> exclude() {
    return exclude;
  }

  /** The base rule, before {@link #first}; each backend's worker builds its sampler from it. */
  public SampleRule rule() {
    return rule;
  }

  private static void requireGlobs(List<String> globs) {
    for (String g : globs) {
      if (g.isEmpty()) {
        throw new IllegalArgumentException("a glob must not be empty");
      }
    }
  }

  private static void requirePositive(String key, long n) {
    if (n <= 0) {
      throw new ConfigException(ConfigProblem.invalid(key, n, "a positive integer"));
    }
  }

  /**
   * The sampling in words as resolved, for the start log line and {@code config check}, e.g. {@code every 10
   * steps, mean of the steps in between; keys eval/*: every step}, followed by the key filter when it has one.
   */
  public String describe() {
    return SpecWords.describe(this);
  }

  /** E.g. {@code every 100 steps, reduce mean, overrides {eval/*=always}}. */
  @Override
  public String toString() {
    return SpecWords.toString(this, reduce, nonFinite);
  }
}
