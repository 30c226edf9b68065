package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.spi.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration that would log nowhere is refused, unless every backend it declares is disabled on purpose. */
class NoBackendTest {

  @TempDir Path dir;

  private String yaml(String backends) {
    return YamlHeader.of("e", dir) + backends + "\n";
  }

  @Test
  void aYamlWithoutBackendsIsAConfigurationErrorSayingHowToAddOne() {
    assertThatThrownBy(() -> LogDispatcher.fromYaml(yaml(""), "trainlog.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("`backends` has no backend, so nothing would be logged: add one under `backends:`, e.g. "
            + "`backends: {console: {type: console}}` or `backends: {metrics: {type: jsonl, path: metrics.jsonl}}` "
            + "(trainlog.yaml:1)");
  }

  @Test
  void anEmptyBackendsSectionIsReportedAtItsLine() {
    assertThatThrownBy(() -> LogDispatcher.fromYaml(yaml("backends: {}"), "trainlog.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("`backends` has no backend, so nothing would be logged")
        .hasMessageEndingWith("(trainlog.yaml:6)");
  }

  @Test
  void whenEveryBackendIsDisabledTheDispatcherIsBuiltWithAWarningNamingThem() {
    PrintStream before = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // slf4j-simple writes to whatever System.err is at the time of the call
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (LogDispatcher d = LogDispatcher.fromYaml(
        yaml("backends:\n  a: {type: jsonl, enabled: false}\n  b: {type: mongodb, enabled: \"\"}"), "trainlog.yaml")) {
      assertThat(d.stats().backends()).isEmpty();
    } finally {
      System.setErr(before);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("WARN dev.trainlog.core.LogDispatcher - Every backend in trainlog.yaml is disabled (a, b): "
            + "this dispatcher logs nowhere");
  }
}
