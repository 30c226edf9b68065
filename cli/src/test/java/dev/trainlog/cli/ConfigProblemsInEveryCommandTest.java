package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad configuration stops every command that reads one before it starts anything, with every
 * problem printed exactly as {@code config check} prints it, and exit 2.
 */
class ConfigProblemsInEveryCommandTest {

  @TempDir Path dir;
  private Path bad;
  private Path logs;

  @BeforeEach
  void writeFiles() throws Exception {
    bad = Files.writeString(dir.resolve("bad.yaml"), "run: {experiment: e, name: r}\ndispatcher: {journal-dir: " + dir.resolve("journal")
        + ", shutdown-hook: false}\n"
        + "defaults: {flush-interval: soon}\n"
        + "backends:\n"
        + "  a: {type: jsonl, path: " + dir.resolve("a.jsonl") + ", batch-size: -1}\n"
        + "  b: {type: nosuch}\n");
    logs = Files.createDirectories(dir.resolve("runs"));
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\": 1, \"loss\": 0.5}\n");
    Files.createDirectories(dir.resolve("dead/a-rank0"));
  }

  static Stream<String> commands() {
    return Stream.of("import tensorboard RUNS --config BAD", "follow tensorboard RUNS --config BAD",
        "follow jsonl JSONL --config BAD --idle 1ms", "resend DEAD --config BAD --backend a");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyProblemIsPrintedExactlyAsConfigCheckPrintsThemBeforeAnythingStarts(String command) {
    String checked = new Cli(Clock.systemUTC(), List.of()).runExactly("config", "check", bad.toString()).err();
    String[] args = command.replace("RUNS", logs.toString()).replace("BAD", bad.toString())
        .replace("JSONL", dir.resolve("metrics.jsonl").toString()).replace("DEAD", dir.resolve("dead/a-rank0")
            .toString()).split(" ");

    Cli.Result r = new Cli(Clock.systemUTC(), List.of()).runExactly(args);

    assertThat(r.code()).isEqualTo(2);
    assertThat(checked).startsWith("3 problems in the TrainLog configuration:\n  - `defaults.flush-interval` was");
    // resend opens the one backend it is given, so the other backend's problem (and the plugin hint) is not its concern
    String expected = !command.startsWith("resend") ? checked : checked.replace("3 problems", "2 problems")
        .replaceAll("  - `backends.b.type`.*\n", "").replaceAll("trainlog: a plugin's type .*\n", "");
    assertThat(checked).contains("\ntrainlog: a plugin's type is found on the class path: name its jar");
    assertThat(r.err()).isEqualTo(expected);
    assertThat(r.out()).as("nothing started").isEmpty();
    assertThat(Files.exists(dir.resolve("journal"))).as("no journal opened").isFalse();
  }

  @Test
  void configCheckForFollowAcceptsTheYamlOfTheReadmeWithoutARunSection() throws Exception {
    Path yaml = Files.writeString(dir.resolve("trainlog.yaml"), "dispatcher: {journal-dir: " + dir.resolve("journal")
        + "}\nbackends:\n  lines: {type: jsonl, path: \"" + dir + "/jsonl/${TRAINLOG_EXPERIMENT}/${TRAINLOG_RUN_NAME}"
        + ".jsonl\"}\n");
    Cli cli = new Cli(Clock.systemUTC(), List.of());

    Cli.Result plain = cli.runExactly("config", "check", yaml.toString());
    Cli.Result forFollow = new Cli(Clock.systemUTC(), List.of()).runExactly("config", "check", "--for", "follow",
        yaml.toString());

    assertThat(plain.code()).isEqualTo(2);
    assertThat(plain.err()).endsWith("(for 'trainlog follow' and 'import', which give each run its names, this file"
        + " has no problems: check it with --for follow)\n");
    assertThat(forFollow.code()).as(forFollow.err()).isZero();
    assertThat(forFollow.out()).startsWith("run         given per run by 'trainlog follow'; ${TRAINLOG_EXPERIMENT}"
        + " and ${TRAINLOG_RUN_NAME} expand to its names\n")
        .contains("  path = " + dir + "/jsonl/${TRAINLOG_EXPERIMENT}/${TRAINLOG_RUN_NAME}.jsonl");
  }
}
