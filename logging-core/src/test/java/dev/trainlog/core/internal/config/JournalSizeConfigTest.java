package dev.trainlog.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalSizeConfigTest {

  private static TrainLogConfig load(String yaml) {
    return ConfigLoader.builder().env(Map.of()).build().load(yaml, "t.yaml");
  }

  @Test
  void aMaxSizeBelowTwoSegmentsIsAConfigurationErrorNamingBothSettings() {
    assertThatThrownBy(() -> load("run: {experiment: e}\ndispatcher:\n"
        + "  journal: {max-size: 1MiB, segment-size: 1MiB}\nbackends: {a: {type: jsonl}}\n"))
        .hasMessageContaining("`dispatcher.journal.max-size` was '1MiB' but it must be at least twice"
            + " dispatcher.journal.segment-size (1048576 bytes), that is 2097152 bytes or more; or lower"
            + " dispatcher.journal.segment-size (t.yaml:3)");
  }

  @Test
  void aMaxSizeOfTwoSegmentsIsAccepted() {
    assertThat(load("run: {experiment: e}\ndispatcher:\n  journal: {max-size: 2MiB, segment-size: 1MiB}\n"
        + "backends: {a: {type: jsonl}}\n").dispatcher().journalMaxSize()).isEqualTo(2L << 20);
  }
}
