package dev.trainlog.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherStatsTest {

  @Test
  void theTableSaysWhatWasNotLoggedOnlyWhenSomethingWasnt() {
    assertThat(new DispatcherStats(10, 0, 0, Map.of()).table()).doesNotContain("not logged");
    assertThat(new DispatcherStats(10, 0, 2, 3, Map.of()).table())
        .contains("(not logged: 2 record(s) and 3 image(s) or artifact(s) the journal could not store; see the warnings)");
    assertThat(new DispatcherStats(10, 0, 0, 1, Map.of()).refusedFiles()).isEqualTo(1);
  }
}
