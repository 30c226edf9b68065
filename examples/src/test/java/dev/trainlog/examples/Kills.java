package dev.trainlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Reads a crash child's "logged N" lines until it logged {@code atLeast} steps from {@code from}, then SIGKILLs it. */
public final class Kills {

  private Kills() {}

  /** Returns the last step the child reported as logged before the kill. */
  public static long after(Process p, long from, long atLeast) throws Exception {
    long last = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("logged ")) {
          last = Long.parseLong(line.substring(7));
          if (last - from >= atLeast) {
            break;
          }
        }
      }
      p.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(last).as("the child logged before it was killed").isGreaterThanOrEqualTo(from + atLeast);
    return last;
  }
}
