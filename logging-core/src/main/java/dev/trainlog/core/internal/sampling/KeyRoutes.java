package dev.trainlog.core.internal.sampling;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Images;
import java.util.HashMap;
import java.util.Map;

/**
 * Which group of a {@link RecordSampler} decides a key: dropped by the key filter, the override whose
 * glob matches first, the images or artifacts rule for such a value no override matched, else the
 * base rule. Remembers the glob matching per key; not thread-safe, except {@link #compute}.
 */
final class KeyRoutes {

  /**
   * Distinct keys whose routing is remembered: {@value}. Beyond that, keys are routed by matching
   * globs each time, so a run that invents keys per step cannot grow the cache without bound.
   */
  static final int MAX_CACHED_KEYS = 4096;

  static final int DROPPED = -1;
  static final int BASE = 0;

  private final KeyFilter filter;
  private final Glob[] overrideGlobs;
  private final boolean imagesRuled;
  private final int artifactsGroup;
  private final Map<String, Integer> cache = new HashMap<>();

  /** Group {@code i + 1} is the override of {@code overrideGlobs[i]}; images go to the group before the artifacts'. */
  KeyRoutes(KeyFilter filter, Glob[] overrideGlobs, boolean imagesRuled, int artifactsGroup) {
    this.filter = filter;
    this.overrideGlobs = overrideGlobs.clone();
    this.imagesRuled = imagesRuled;
    this.artifactsGroup = artifactsGroup;
  }

  /** The key's group: by glob (cached per key), then, when no override matched, by the value's kind. */
  int of(String key, Object value) {
    int g = of(key);
    if (g == BASE) {
      if (value instanceof Images && imagesRuled) {
        return artifactsGroup - 1;
      }
      if (value instanceof Artifact) {
        return artifactsGroup;
      }
    }
    return g;
  }

  private int of(String key) {
    Integer cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    int g = compute(key);
    if (cache.size() < MAX_CACHED_KEYS) {
      cache.put(key, g);
    }
    return g;
  }

  /** The key's group by the filter and the globs alone, without the cache: safe from any thread. */
  int compute(String key) {
    if (!filter.accepts(key)) {
      return DROPPED;
    }
    for (int i = 0; i < overrideGlobs.length; i++) {
      if (overrideGlobs[i].matches(key)) {
        return i + 1;
      }
    }
    return BASE;
  }
}
