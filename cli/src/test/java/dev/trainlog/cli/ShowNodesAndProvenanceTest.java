package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code show}'s provenance and system sections and {@code show --nodes}, over TCP against mongo-java-server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShowNodesAndProvenanceTest {

  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private TestMongo server;
  private String uri;
  private LoggedRuns logged;

  @BeforeAll
  void logTwoNodes() throws Exception {
    server = new TestMongo();
    uri = server.uri;
    logged = new LoggedRuns(uri, Files.createTempDirectory("trainlog-cli-nodes"));
    for (int rank = 0; rank < 2; rank++) {
      RunInfo run = RunInfo.builder().experiment("ddp").runName("two-nodes").runId("ddp-run").rank(rank)
          .worldSize(2).node("node-" + (char) ('a' + rank)).startTimeMillis(T0.toEpochMilli())
          .provenance(Map.of("git_commit", "0123456789abcdef0123456789abcdef01234567", "git_branch", "main",
              "command", "train.jar --hf-token=hf_abcSECRET")).build();
      LogDispatcher d = logged.dispatcher(run, new MutableClock(T0));
      for (long s = 1; s <= 4; s++) {
        d.log(s, Map.of("loss", 1.0 / s));
        // rank 0's GPU at 10, 20, 30, 40 %; rank 1's at 50, 60, 70, 80 %
        d.log(s, Map.of("system/gpu0/utilization_percent", 40.0 * rank + 10.0 * s,
            "system/gpu0/memory_used_mb", 1000.0 * (rank + 1), "system/cpu/host_percent", 5.0));
      }
      d.close(RunStatus.FINISHED);
    }
  }

  @AfterAll
  void stop() {
    logged.close();
    server.close();
  }

  private Cli.Result show(String... args) {
    Cli.Result r = new Cli(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC),
        List.of("--store", uri)).run(args);
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  @Test
  void nodesShowsMeanAndMaxPerNodeAndGpuComputedByTheStore() {
    String out = show("show", "ddp-run", "--nodes").out();

    assertThat(out).containsSubsequence("NODE", "DEVICE", "METRIC", "MEAN", "MAX");
    assertThat(out.lines().filter(l -> l.startsWith("node-")).map(l -> String.join(" ", l.trim().split("\\s+"))))
        .containsExactly(
            "node-a cpu host_percent 5 5", "node-a gpu0 memory_used_mb 1000 1000",
            "node-a gpu0 utilization_percent 25 40",
            "node-b cpu host_percent 5 5", "node-b gpu0 memory_used_mb 2000 2000",
            "node-b gpu0 utilization_percent 65 80");
  }

  @Test
  void showPrintsProvenanceRedactedAndSystemMetricsApart() throws Exception {
    String out = show("show", "ddp-run").out();

    assertThat(out).contains("  git_commit = 0123456789abcdef0123456789abcdef01234567")
        .contains("  command = train.jar --hf-token=****").doesNotContain("hf_abcSECRET")
        .containsSubsequence("provenance", "loss", "system metrics", "system/gpu0/utilization_percent");
    JsonNode json = new ObjectMapper().readTree(show("show", "ddp-run", "--json", "--nodes").out());
    assertThat(json.get("provenance").get("git_branch").asText()).isEqualTo("main");
    assertThat(json.get("nodes")).hasSize(6);
    assertThat(json.get("nodes").get(5).get("max").asDouble()).isEqualTo(80.0);
  }

  @Test
  void watchAlertsWhenGpuMemoryPassesAShareOfItsTotal() throws Exception {
    RunInfo run = RunInfo.builder().experiment("ddp").runName("live-gpu").runId("live-gpu-run").node("node-a")
        .build();
    LogDispatcher live = logged.dispatcher(run, new MutableClock(Instant.now()));
    try {
      live.log(1, Map.of("system/gpu0/memory_used_mb", 40000.0, "system/gpu0/memory_total_mb", 81920.0));
      live.flush(Duration.ofSeconds(5));
      Cli cli = new Cli(Clock.systemUTC(), List.of("--store", uri));
      CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(() -> cli.run("watch", "live-gpu", "--alert",
          "system/gpu0/memory_used_mb > 0.95*system/gpu0/memory_total_mb", "--fail-on-alert", "--interval", "50ms"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cli.outSoFar().contains("watching"));
      live.log(2, Map.of("system/gpu0/memory_used_mb", 60000.0, "system/gpu0/memory_total_mb", 81920.0));
      live.log(3, Map.of("system/gpu0/memory_used_mb", 79000.0, "system/gpu0/memory_total_mb", 81920.0));
      live.flush(Duration.ofSeconds(5));

      Cli.Result result = watch.get(10, TimeUnit.SECONDS);
      assertThat(result.code()).isEqualTo(ExitCodes.ALERT);
      assertThat(result.out()).contains("ALERT system/gpu0/memory_used_mb > 0.95*system/gpu0/memory_total_mb at step 3")
          .doesNotContain("at step 2");
    } finally {
      live.close(RunStatus.FINISHED);
    }
  }
}
