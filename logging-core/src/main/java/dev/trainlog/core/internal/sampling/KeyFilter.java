package dev.trainlog.core.internal.sampling;

import java.util.List;

/**
 * Which top-level metric keys a backend receives: {@code include:} and {@code exclude:} lists of
 * globs where {@code *} matches any run of characters, '/' included. A key passes when the include
 * list is empty or one of its globs matches, and no exclude glob matches.
 */
public final class KeyFilter {

  private static final KeyFilter ALL = new KeyFilter(new Glob[0], new Glob[0]);

  private final Glob[] include;
  private final Glob[] exclude;

  private KeyFilter(Glob[] include, Glob[] exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  /** The filter that passes every key. */
  public static KeyFilter all() {
    return ALL;
  }

  /** A filter from glob lists; an empty {@code include} means every key. */
  public static KeyFilter of(List<String> include, List<String> exclude) {
    if (include.isEmpty() && exclude.isEmpty()) {
      return ALL;
    }
    return new KeyFilter(compile(include), compile(exclude));
  }

  private static Glob[] compile(List<String> patterns) {
    Glob[] globs = new Glob[patterns.size()];
    for (int i = 0; i < globs.length; i++) {
      globs[i] = Glob.compile(patterns.get(i));
    }
    return globs;
  }

  /** Whether this filter passes every key, so a sampler can skip looking at keys. */
  public boolean acceptsAll() {
    return include.length == 0 && exclude.length == 0;
  }

  /** Whether a backend with this filter receives the top-level metric {@code key}. */
  public boolean accepts(String key) {
    boolean in = include.length == 0;
    for (int i = 0; !in && i < include.length; i++) {
      in = include[i].matches(key);
    }
    if (!in) {
      return false;
    }
    for (Glob g : exclude) {
      if (g.matches(key)) {
        return false;
      }
    }
    return true;
  }

  /** The filter in words, e.g. {@code only keys loss, eval/*; without keys eval/debug}; empty when it passes all. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (include.length > 0) {
      sb.append("only keys ").append(patterns(include));
    }
    if (exclude.length > 0) {
      sb.append(sb.length() == 0 ? "" : "; ").append("without keys ").append(patterns(exclude));
    }
    return sb.toString();
  }

  private static String patterns(Glob[] globs) {
    StringBuilder sb = new StringBuilder();
    for (Glob g : globs) {
      sb.append(sb.length() == 0 ? "" : ", ").append(g.pattern());
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "KeyFilter{include=" + List.of(include) + ", exclude=" + List.of(exclude) + "}";
  }
}
