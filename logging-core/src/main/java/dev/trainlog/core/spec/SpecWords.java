package dev.trainlog.core.spec;

import java.util.List;
import java.util.Map;

/** A {@link SampleSpec} in words: {@link SampleSpec#describe} for people, {@link SampleSpec#toString} for logs. */
final class SpecWords {

  private SpecWords() {}

  static String describe(SampleSpec spec) {
    StringBuilder sb = new StringBuilder(ruleInWords(spec, spec.reduce()));
    if (spec.nonFinite() == NonFinite.SAMPLE) {
      sb.append(", steps with NaN or ±Inf sampled like the others");
    }
    for (Map.Entry<String, SampleSpec> e : spec.overrides().entrySet()) {
      sb.append("; keys ").append(e.getKey()).append(": ")
          .append(ruleInWords(e.getValue(), spec.reduceFor(e.getKey())));
    }
    if (spec.imageRule() != null) {
      sb.append("; images: ").append(ruleInWords(spec.imageRule(), Reduce.NONE));
    }
    if (spec.artifactRule() != null) {
      sb.append("; artifacts: ").append(ruleInWords(spec.artifactRule(), Reduce.NONE));
    }
    String filtered = keysInWords(spec.include(), spec.exclude());
    if (!filtered.isEmpty()) {
      sb.append("; ").append(filtered);
    }
    return sb.toString();
  }

  private static String ruleInWords(SampleSpec spec, Reduce effectiveReduce) {
    StringBuilder sb = new StringBuilder();
    if (spec.first() > 0) {
      sb.append("every step below ").append(spec.first()).append(", then ");
    }
    sb.append(spec.rule().inWords());
    boolean keepsAll = spec.first() == 0 && spec.rule() instanceof SampleRule.Always;
    if (effectiveReduce != Reduce.NONE && !keepsAll) {
      sb.append(", ").append(effectiveReduce.inWords()).append(" of the steps in between");
    }
    return sb.toString();
  }

  /** {@code reduce} and {@code nonFinite} as set (null when not): what the spec was given, not what is in effect. */
  static String toString(SampleSpec spec, Reduce reduce, NonFinite nonFinite) {
    StringBuilder sb = new StringBuilder();
    if (spec.first() > 0) {
      sb.append("steps below ").append(spec.first()).append(", then ");
    }
    sb.append(spec.rule());
    if (reduce != null) {
      sb.append(", reduce ").append(reduce.yamlName());
    }
    if (nonFinite != null) {
      sb.append(", non-finite ").append(nonFinite.yamlName());
    }
    if (!spec.overrides().isEmpty()) {
      sb.append(", overrides ").append(spec.overrides());
    }
    if (!spec.include().isEmpty() || !spec.exclude().isEmpty()) {
      sb.append(", ").append(keysInWords(spec.include(), spec.exclude()));
    }
    if (spec.imageRule() != null) {
      sb.append(", images ").append(spec.imageRule());
    }
    if (spec.artifactRule() != null) {
      sb.append(", artifacts ").append(spec.artifactRule());
    }
    return sb.toString();
  }

  /** E.g. {@code only keys loss, eval/*; without keys eval/debug}; empty when every key passes. */
  private static String keysInWords(List<String> include, List<String> exclude) {
    String in = include.isEmpty() ? "" : "only keys " + String.join(", ", include);
    String out = exclude.isEmpty() ? "" : "without keys " + String.join(", ", exclude);
    return in.isEmpty() || out.isEmpty() ? in + out : in + "; " + out;
  }
}
