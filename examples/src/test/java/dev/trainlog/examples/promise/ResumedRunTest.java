package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run resumed with its id, after a clean close or after SIGTERM, keeps every record of every
 * process: sequences go on after the last one the run used, so neither JSON lines' de-duplication nor
 * MongoDB's {@code _id} takes a resumed record for one already stored.
 */
class ResumedRunTest extends PromiseFixture {

  private Process child(Path yaml, String mode, long from, long count) throws IOException {
    return new ProcessBuilder(javaBin(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ResumeChild.class.getName(), yaml.toString(), mode, Long.toString(from), Long.toString(count))
        .redirectError(dir.resolve("child-" + mode + "-" + from + ".err").toFile()).start();
  }

  /** The steps a child printed as logged, and its exit code once it ended. */
  private List<Long> run(Process p, long sigtermAfter) throws Exception {
    List<Long> logged = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      boolean sent = false;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("logged ")) {
          logged.add(Long.parseLong(line.substring(7)));
          if (!sent && sigtermAfter >= 0 && logged.size() >= sigtermAfter) {
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            sent = true;
          }
        }
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return logged;
  }

  @Test
  void aRunClosedAndResumedWithItsIdKeepsTheRecordsOfBothProcesses() throws Exception {
    Path yaml = yaml("resumed-run-id");
    List<Long> first = run(child(yaml, "count", 0, 1000), -1);
    List<Long> second = run(child(yaml, "count", 900, 1000), -1); // resumed from a checkpoint at step 900

    assertThat(first).hasSize(1000);
    assertThat(second).hasSize(1000);
    assertEveryRecordOnce(2000, first, second);
    assertThat(Files.readString(dir.resolve("child-count-900.err")))
        .as("the re-logged steps follow the step-regression policy, with a warning")
        .contains("Step 900 is lower than step 999 logged before (a resume from a checkpoint?); accepted");
  }

  @Test
  void aRunStoppedBySigtermKeepsItsLastStepsWhenItsLoopStopsInBeforeShutdownAndIsResumedWhole() throws Exception {
    Path yaml = yaml("sigterm-run-id");
    List<Long> first = run(child(yaml, "graceful", 0, 0), 1500);
    long last = first.get(first.size() - 1);
    List<Long> second = run(child(yaml, "count", last - 99, 500), -1);

    assertThat(first.size()).isGreaterThanOrEqualTo(1500);
    assertEveryRecordOnce(first.size() + 500, first, second);
    assertThat(Files.readString(dir.resolve("child-graceful-0.err"))).doesNotContain("were refused");
  }

  @Test
  void recordsLoggedWhileTheJvmShutsDownAreRefusedVisiblyWithTheirCount() throws Exception {
    Path yaml = yaml("tight-run-id");
    run(child(yaml, "tight", 0, 0), 1000);

    String err = Files.readString(dir.resolve("child-tight-0.err"));
    assertThat(err).contains("logged after the JVM began to shut down (SIGTERM?) and closed the run");
    assertThat(err).containsPattern("\\d+ record\\(s\\) logged while the JVM shut down were refused \\(counted in"
        + " stats\\(\\)\\.refused\\(\\)\\); to keep a loop's last steps on SIGTERM, log them in"
        + " dispatcher\\.beforeShutdown\\(\\.\\.\\)");
  }
}
