package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unreachable store is one line and exit 2, its password hidden; --debug adds the stack trace. */
class StoreErrorsTest {

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anUnreachableStoreIsOneLineWithThePasswordRedactedAndExitTwo() throws Exception {
    String uri = "mongodb://trainer:s3cret-pw@127.0.0.1:" + closedPort() + "/";
    Cli.Result r = new Cli(Clock.systemUTC(), List.of()).runExactly("runs", "--store", uri, "--timeout", "500ms");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("trainlog: cannot reach the store at mongodb://trainer:****@127.0.0.1:")
        .contains("within 500ms").contains("Connection refused").doesNotContain("s3cret-pw");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void debugAddsTheStackTraceStillRedacted() throws Exception {
    String uri = "mongodb://trainer:s3cret-pw@127.0.0.1:" + closedPort() + "/";
    Cli.Result r = new Cli(Clock.systemUTC(), List.of()).runExactly("--debug", "runs", "--store", uri,
        "--timeout", "500ms");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines().count()).isGreaterThan(5);
    assertThat(r.err()).contains("\tat dev.trainlog.cli.Store.open").doesNotContain("s3cret-pw");
  }

  @Test
  void aBadUriOrOptionIsAUsageError() {
    Cli cli = new Cli(Clock.systemUTC(), List.of());
    Cli.Result badUri = cli.runExactly("runs", "--store", "mongodb//nope");
    assertThat(badUri.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badUri.err()).startsWith("trainlog: --store was 'mongodb//nope' but it must be embedded:<dir> or a "
        + "mongodb:// URI");
    Cli.Result badSince = new Cli(Clock.systemUTC(), List.of()).runExactly("runs", "--since", "2 days");
    assertThat(badSince.err()).isEqualTo("trainlog: --since was '2 days' but it must be a number and a unit: ms, s, m, "
        + "h, d or w (e.g. 2d)\n");
    assertThat(new Cli(Clock.systemUTC(), List.of()).runExactly("nope").code()).isEqualTo(ExitCodes.USAGE);
  }
}
