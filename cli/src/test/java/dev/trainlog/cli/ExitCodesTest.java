package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scripts test the exit codes: their numbers are pinned here, and the help lists each. */
class ExitCodesTest {

  @Test
  void theNumbersScriptsTestNeverChange() {
    assertThat(List.of(ExitCodes.OK, ExitCodes.NOTHING_MATCHED, ExitCodes.USAGE, ExitCodes.ALERT))
        .containsExactly(0, 1, 2, 3);
  }

  @Test
  void theHelpListsEveryExitCode() {
    Cli.Result r = new Cli(Clock.systemUTC(), List.of()).runExactly("--help");

    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("Exit codes:", "0   ok", "1   nothing matched (unknown run, empty store, no data)",
        "2   usage or connection error", "3   an alert fired (watch --fail-on-alert)");
  }
}
