package dev.trainlog.core;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.system.Provenance;
import java.util.Map;

/**
 * The provenance a dispatcher records at the start of a run of this process (git state of the working
 * directory, command line and JVM arguments with secrets redacted, host, user, OS, Java, TrainLog and NVIDIA
 * versions), for a program that logs runs on another's behalf and adds entries of its own, as {@code trainlog
 * follow} adds the event files' hosts. A run given with provenance keeps it as given.
 */
public final class ProcessProvenance {

  private ProcessProvenance() {}

  /**
   * Collects it now, with {@code yamlText} (redacted) as {@code config_yaml} unless null. Never throws: what
   * cannot be read is left out or says why.
   */
  public static Map<String, String> collect(String yamlText) {
    RunInfo probe = RunInfo.builder().experiment("provenance").runName("provenance").runId("provenance").build();
    return Provenance.attach(probe, yamlText).provenance();
  }
}
