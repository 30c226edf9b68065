package dev.trainlog.core.internal.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived program ({@code git}, {@code nvidia-smi}) with a timeout; never throws. */
final class ShortProcess {

  /** More output than any answer asked for here: the rest is not read. */
  private static final int MAX_OUTPUT = 1 << 20;

  private ShortProcess() {}

  /**
   * The standard output of {@code command} when it exits with 0 within {@code timeout}; empty when it
   * cannot start, fails, or hangs (then it and its children are killed).
   */
  static Optional<String> run(List<String> command, Map<String, String> env, Duration timeout) {
    Path output = null;
    Process p = null;
    try {
      // to a file, not a pipe: a full pipe would stall the program, and waiting is what bounds a hang
      output = Files.createTempFile("trainlog-process", ".out");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(output.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(env);
      p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.empty();
      }
      if (p.exitValue() != 0) {
        return Optional.empty();
      }
      try (InputStream in = Files.newInputStream(output)) {
        return Optional.of(new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (p != null && p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a temporary file left behind in the temp directory is harmless
        }
      }
    }
  }
}
