package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a training process: the dispatcher's shutdown hook delivers what was queued and closes the run as KILLED. */
class ShutdownHookTest {

  @TempDir Path dir;

  @Test
  void sigtermDeliversEveryQueuedRecordAndClosesTheRunAsKilled() throws Exception {
    Path out = dir.resolve("records.txt");
    int steps = 2000;
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ShutdownHookChild.class.getName(), out.toString(),
        String.valueOf(steps), dir.toString())
        .redirectErrorStream(true)
        .start();
    List<String> output = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null && !line.equals(ShutdownHookChild.LOGGED)) {
        output.add(line);
      }
      assertThat(line).as("the child's output: %s", output).isEqualTo(ShutdownHookChild.LOGGED);
      // nothing has reached the backend yet: the batch is not full and the flush interval is an hour
      assertThat(out).doesNotExist();

      child.destroy(); // SIGTERM
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
    } finally {
      child.destroyForcibly();
    }

    List<String> expected = IntStream.range(0, steps).mapToObj(s -> "step " + s).collect(Collectors.toList());
    expected.add("closed KILLED");
    assertThat(Files.readAllLines(out)).containsExactlyElementsOf(expected);
  }
}
