package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provenance a program that logs on another's behalf gets of its own process, to add entries to. */
class ProcessProvenanceTest {

  @TempDir Path dir;

  @Test
  void itIsWhatThisProcessRecordsWithTheYamlTextRedactedAndARunGivenWithItKeepsItAsGiven() {
    Map<String, String> own = ProcessProvenance.collect("backends:\n  m: {type: mongodb, uri: 'mongodb://me:hunter2@db'}");

    assertThat(own).containsEntry("host", RunInfo.localHostName())
        .containsEntry("java_version", System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
            + ")")
        .containsKeys("command", "working_dir", "user", "os", "trainlog_version");
    assertThat(own.get("config_yaml")).contains("type: mongodb").doesNotContain("hunter2");
    assertThat(ProcessProvenance.collect(null)).doesNotContainKey("config_yaml");

    Map<String, String> extended = new java.util.LinkedHashMap<>(own);
    extended.put("event_file_hosts", "gpu-7");
    RunInfo given = RunInfo.builder().experiment("e").runName("r").runId("given").provenance(extended).build();
    try (LogDispatcher d = LogDispatcher.builder(given).journalDir(dir).shutdownHook(false).build()) {
      assertThat(d.run().provenance()).isEqualTo(extended);
    }
  }
}
