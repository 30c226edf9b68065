package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .ci/skipped-summary}, which ends {@code .ci/run}: every skipped test class, how many, and why. */
class CiSkippedSummaryTest {

  @TempDir Path repo;

  private String summary() throws Exception {
    Process p = new ProcessBuilder("bash", Path.of("..", ".ci", "skipped-summary").toAbsolutePath().toString(),
        repo.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private void report(String module, String testClass, String body) throws Exception {
    Path dir = Files.createDirectories(repo.resolve(module).resolve("target/surefire-reports"));
    Files.writeString(dir.resolve("TEST-" + testClass + ".xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<testsuite name=\"" + testClass + "\" tests=\"2\">\n" + body + "</testsuite>\n");
  }

  @Test
  void eachSkippedTestClassIsListedWithItsCountAndReason() throws Exception {
    report("backend-mlflow", "a.RealServerRunsTest", ""
        + "  <testcase name=\"one\" classname=\"a.RealServerRunsTest\" time=\"0.0\">\n"
        + "    <skipped type=\"org.opentest4j.TestAbortedException\"><![CDATA[org.opentest4j.TestAbortedException: "
        + "the real MLflow server is not available\n\tat a.b(C.java:1)\n]]></skipped>\n  </testcase>\n"
        + "  <testcase name=\"two\" classname=\"a.RealServerRunsTest\" time=\"0.0\">\n"
        + "    <skipped type=\"org.opentest4j.TestAbortedException\"><![CDATA[org.opentest4j.TestAbortedException: "
        + "the real MLflow server is not available\n\tat a.b(C.java:1)\n]]></skipped>\n  </testcase>\n");
    report("cli", "b.PassingTest", "  <testcase name=\"ok\" classname=\"b.PassingTest\" time=\"0.1\"/>\n");
    report("cli", "b.DisabledTest", "  <testcase name=\"off\" classname=\"b.DisabledTest\" time=\"0.0\">\n"
        + "    <skipped message=\"not on this machine\"/>\n  </testcase>\n");

    assertThat(summary()).isEqualTo("skipped tests: 3\n"
        + "  2 x a.RealServerRunsTest: the real MLflow server is not available\n"
        + "  1 x b.DisabledTest: not on this machine\n");
  }

  @Test
  void aRunWithoutSkipsSaysSo() throws Exception {
    report("cli", "b.PassingTest", "  <testcase name=\"ok\" classname=\"b.PassingTest\" time=\"0.1\"/>\n");

    assertThat(summary()).isEqualTo("skipped tests: none\n");
  }
}
