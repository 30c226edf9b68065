package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.spi.LogBackend;

/** Calls a backend again after each retryable failure, as the core does, while the driver reconnects. */
final class CoreRetries {

  /** More attempts than a reconnect takes on a loaded machine (a server selection waits 1 s): {@value}. */
  static final int MAX_ATTEMPTS = 20;

  /** A backend call. */
  interface Call {
    void run() throws Exception;
  }

  private CoreRetries() {}

  static void untilDone(LogBackend backend, Call call) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        call.run();
        return;
      } catch (Exception e) {
        assertThat(backend.isRetryable(e)).as("%s", e).isTrue();
        assertThat(attempt).as("attempts").isLessThan(MAX_ATTEMPTS);
      }
    }
  }
}
