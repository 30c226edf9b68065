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

/**
 * With no SLF4J binding, or one that drops TrainLog's warnings, a backend that cannot open and records left at
 * close still reach standard error.
 */
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

  @Test
  void aBindingThatDropsWarningsStillLetsTheUserHearOfThem() throws Exception {
    // as under `mvn -q ... exec:java`, where Maven's own logger runs the example at error level
    String out = runChild("both", true, "-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
    assertThat(out)
        .contains("[TrainLog] backend 'server' could not open: ")
        .contains("[TrainLog] TrainLog closed run no-binding with records not delivered: ")
        .contains("(TrainLog's warnings are turned off: set dev.trainlog to WARN to see the details)")
        .contains("] ERROR dev.trainlog.core.internal.pipeline.BackendChannel - Backend 'store' could not open")
        .as("an error the binding showed is not said twice").doesNotContain("[TrainLog] backend 'store'")
        .doesNotContain("] WARN ");
  }

  @Test
  void aBindingThatShowsWarningsGetsThemThereAndNotTwice() throws Exception {
    String out = runChild("both", true);
    assertThat(out).contains("] WARN ").doesNotContain("[TrainLog] ");
  }

  private String runChild(String mode) throws Exception {
    return runChild(mode, false);
  }

  /** The child's output, run with the test class path, minus any SLF4J binding unless {@code binding}. */
  private String runChild(String mode, boolean binding, String... jvmOptions) throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> binding || !entry.contains("slf4j-simple") && !entry.contains("logback"))
        .collect(Collectors.joining(File.pathSeparator));
    java.util.List<String> command = new java.util.ArrayList<>(
        java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(Arrays.asList(jvmOptions));
    command.addAll(java.util.List.of("-cp", classPath, NoBindingChild.class.getName(), dir.toString(), mode));
    Process child = new ProcessBuilder(command)
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
