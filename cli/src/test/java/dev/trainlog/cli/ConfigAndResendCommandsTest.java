package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.pipeline.DeadLetters;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config check} resolves a YAML as the dispatcher would; {@code resend} delivers a dead-letter directory. */
class ConfigAndResendCommandsTest {

  @TempDir Path dir;
  private final Cli cli = new Cli(Clock.systemUTC(), List.of());

  private Path yaml(String backends) throws Exception {
    Path file = dir.resolve("trainlog.yaml");
    Files.writeString(file, "run: {experiment: e, name: r, id: cfg-run}\n"
        + "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
        + ", shutdown-hook: false}\n"
        + "defaults: {sample: {every: 10, reduce: mean}}\n"
        + "backends:\n" + backends);
    return file;
  }

  @Test
  void configCheckPrintsEachBackendsSamplingAsResolvedAndHidesSecrets() throws Exception {
    Path file = yaml("  a: {type: jsonl, path: " + dir.resolve("a.jsonl") + ", sample: {every: 100}}\n"
        + "  b: {type: jsonl, path: " + dir.resolve("b.jsonl") + ", sample: {log-spaced: true, reduce: none}}\n"
        + "  m: {type: mongodb, uri: 'mongodb://alice:hunter2@127.0.0.1:1/'}\n");

    Cli.Result r = cli.runExactly("config", "check", file.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("backend a (type jsonl)", "  sampling  every 100 steps, mean of the steps in between")
        .contains("backend b (type jsonl)", "  sampling  log-spaced steps")
        .contains("backend m (type mongodb)").doesNotContain("hunter2");
    assertThat(Files.exists(dir.resolve("journal"))).as("nothing is opened").isFalse();
  }

  @Test
  void configCheckReportsEveryProblemWithItsLineAndExitsTwo() throws Exception {
    Path file = yaml("  a: {type: jsonl, batch-size: -1}\n  b: {type: nosuch}\n");

    Cli.Result r = cli.runExactly("config", "check", file.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("`backends.a.batch-size` was '-1'").contains("trainlog.yaml:5)")
        .contains("`backends.b.type` was 'nosuch'");
  }

  @Test
  void pingSaysWhichBackendCannotBeReached() throws Exception {
    Path file = yaml("  a: {type: jsonl, path: " + dir.resolve("a.jsonl") + "}\n"
        + "  m: {type: mongodb, uri: 'mongodb://127.0.0.1:1/'}\n");

    Cli.Result r = cli.runExactly("config", "check", "--ping", file.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("backend a (type jsonl)").containsPattern("backend m \\(type mongodb\\)[\\s\\S]*"
        + "ping      FAILED: ");
    assertThat(r.out().split("ping      ok", -1)).hasSize(2);
  }

  @Test
  void resendDeliversADeadLetterDirectoryToTheNamedBackendAndDeletesIt() throws Exception {
    Path file = yaml("  a: {type: jsonl, path: " + dir.resolve("a.jsonl") + ", sample: always}\n"
        + "  other: {type: jsonl, path: " + dir.resolve("other.jsonl") + "}\n"
        + "  m: {type: mongodb, uri: 'mongodb://127.0.0.1:1/', server-selection-timeout: 100ms}\n");
    Path dead = dir.resolve("dead").resolve("old-rank0");
    RunInfo oldRun = TestRecords.run("e", "old");
    try (DeadLetters letters = new DeadLetters(dead)) {
      letters.add(List.of(TestRecords.record(oldRun, 3, Map.of("loss", 0.5)), TestRecords.record(oldRun, 4,
          Map.of("loss", 0.25))), "refused: value too large", Instant.parse("2026-12-05T00:00:00Z"));
    }

    Cli.Result r = cli.runExactly("resend", dead.toString(), "--config", file.toString(), "--backend", "a",
        "--timeout", "20s");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("resent 2 record(s) from " + dead + " to 'a'");
    assertThat(Files.readAllLines(dir.resolve("a.jsonl"))).hasSize(2).allMatch(l -> l.contains(oldRun.runId()));
    assertThat(Files.exists(dead)).isFalse();
    assertThat(dir.resolve("other.jsonl")).as("the configuration's other backends are not opened").doesNotExist();
    assertThat(r.err()).doesNotContain("Backend 'm'");
  }

  @Test
  void resendOfADamagedDeadLetterSaysHowManyWereDamagedWhereTheirBytesAreAndExitsWith2() throws Exception {
    Path file = yaml("  a: {type: jsonl, path: " + dir.resolve("a.jsonl") + ", sample: always}\n");
    Path dead = dir.resolve("dead").resolve("old-rank0");
    RunInfo oldRun = TestRecords.run("e", "old");
    try (DeadLetters letters = new DeadLetters(dead)) {
      letters.add(List.of(TestRecords.record(oldRun, 3, Map.of("tag", "marker-3")),
          TestRecords.record(oldRun, 4, Map.of("tag", "marker-4")), TestRecords.record(oldRun, 5, Map.of("tag",
          "marker-5"))), "refused: value too large", Instant.parse("2026-12-05T00:00:00Z"));
    }
    Path segment;
    try (java.util.stream.Stream<Path> files = Files.list(dead)) {
      segment = files.filter(p -> p.getFileName().toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    bytes[text.indexOf("marker-4") + 2] ^= 1; // one flipped bit in step 4's record
    Files.write(segment, bytes);

    Cli.Result r = cli.runExactly("resend", dead.toString(), "--config", file.toString(), "--backend", "a",
        "--timeout", "20s");

    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).contains("resent 2 record(s) from " + dead + " to 'a'; 1 damaged record(s) could not be read"
        + " (see the warning; their bytes are kept in " + dead.resolveSibling("old-rank0.damaged") + ")");
    assertThat(Files.readAllLines(dir.resolve("a.jsonl"))).hasSize(2);
    assertThat(dead.resolveSibling("old-rank0.damaged")).isDirectory();
  }

  @Test
  void resendToABackendTheConfigurationDoesNotHaveNamesTheOnesItHas() throws Exception {
    Path file = yaml("  a: {type: jsonl, path: " + dir.resolve("a.jsonl") + "}\n"
        + "  b: {type: jsonl, path: " + dir.resolve("b.jsonl") + "}\n");

    Cli.Result r = cli.runExactly("resend", dir.resolve("dead").toString(), "--config", file.toString(),
        "--backend", "c");

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("`backends` has no enabled backend named 'c'; it has: a, b");
  }

  @Test
  void showListsTheBackendsOfTheRunAndHowEachSampled() throws Exception {
    de.bwaldvogel.mongo.MongoServer server = new de.bwaldvogel.mongo.MongoServer(
        new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
    try {
      String uri = "mongodb://127.0.0.1:" + server.bind().getPort();
      Path file = yaml("  mongo: {type: mongodb, uri: '" + uri + "'}\n"
          + "  lines: {type: jsonl, path: " + dir.resolve("a.jsonl") + ", sample: {log-spaced: true}}\n");
      try (dev.trainlog.core.LogDispatcher d = dev.trainlog.core.LogDispatcher.fromYaml(file)) {
        d.log(1, Map.of("loss", 0.5));
      }

      Cli.Result r = cli.runExactly("show", "cfg-run", "--store", uri);

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("backends (sampling)\n  mongo: every 10 steps, mean of the steps in between\n"
          + "  lines: log-spaced steps");
    } finally {
      server.shutdownNow();
    }
  }
}
