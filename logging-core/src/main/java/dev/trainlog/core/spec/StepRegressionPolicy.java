package dev.trainlog.core.spec;

import java.util.Locale;

/** What the dispatcher does when a step is logged that is lower than one already logged. */
public enum StepRegressionPolicy {
  /** Log it silently: some loops restart their step counter on purpose (e.g. per epoch). */
  ACCEPT,
  /** Log it and warn once, naming the steps. The default. */
  WARN,
  /**
   * Drop it without an exception: what was logged at that step reaches no backend, the drop is counted in
   * {@link dev.trainlog.core.spec.DispatcherStats#rejectedSteps()} (see {@link dev.trainlog.core.LogDispatcher#stats()})
   * and the first one is warned about once.
   */
  REJECT;

  /** The YAML spelling: {@code accept}, {@code warn} or {@code reject}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the YAML spelling; {@code null} when it is none of them. */
  public static StepRegressionPolicy fromYaml(String value) {
    for (StepRegressionPolicy p : values()) {
      if (p.yamlName().equals(value)) {
        return p;
      }
    }
    return null;
  }
}
