package dev.trainlog.cli;

import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;

/** What the command line adds to an unknown backend or sampler type: how a plugin's jar gets onto its class path. */
final class PluginHint {

  /** The launcher's variable of jars and class directories added to the class path, colon separated: {@value}. */
  static final String CLASSPATH_VAR = "TRAINLOG_CLASSPATH";

  private PluginHint() {}

  /** The hint when one of {@code problems} is a type no installed provider has, else null. */
  static String of(ConfigException problems) {
    for (ConfigProblem p : problems.problems()) {
      if (p.key().endsWith(".type") && p.description().contains("but it must be one of the installed ")) {
        return "trainlog: a plugin's type is found on the class path: name its jar (or classes directory) in "
            + CLASSPATH_VAR + ", colon separated, e.g. " + CLASSPATH_VAR + "=plugins/csv-backend.jar ./trainlog ...";
      }
    }
    return null;
  }
}
