package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no SLF4J binding, a backend that cannot open and records left at close still reach standard error. */
class NoBindingTest {

  @TempDir Path dir;

  @Test
  void aUserWithoutAnSlf4jBindingStillHearsOfFailedBackendsAndUndeliveredRecords() throws Exception {
    assertThat(runChild("both"))
        .contains("SLF4J") // SLF4J's own note that it found no provider
        .contains("[TrainLog] backend 'store' refused to open: ")
        .contains("[TrainLog] backend 'server' could not open: ")
        .contains("[TrainLog] TrainLog closed run no-binding with records not delivered: ")
        .doesNotContain(" WARN ").doesNotContain(" ERROR ");
  }

  @Test
  void recordsABackendRefusedForGoodAreNamedAtCloseWithWhereTheyAreKept() throws Exception {
    assertThat(runChild("refusing-only"))
        .contains("[TrainLog] backend 'store' refused to open: ")
        .contains("[TrainLog] TrainLog closed run no-binding: store refused 5 record(s), kept in "
            + dir.resolve("dead").resolve("store-rank0"));
  }

  /** The child's output, run with the test class path minus any SLF4J binding. */
  private String runChild(String mode) throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("slf4j-simple") && !entry.contains("logback"))
        .collect(Collectors.joining(File.pathSeparator));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, NoBindingChild.class.getName(), dir.toString(), mode)
        .redirectErrorStream(true)
        .start();
    try {
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
      return output;
    } finally {
      child.destroyForcibly();
    }
  }
}
