package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against one store holding {@link LoggedRuns}; subclasses provide the store (the
 * embedded one, mongo-java-server over TCP).
 */
abstract class CommandsContract {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Ten minutes after the start: the crashed run's heartbeat (at 10 s, interval 10 s) is stale. */
  static final Clock LATER = Clock.fixed(LoggedRuns.T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);

  @TempDir Path tmp;

  /** The options that select the store under test. */
  abstract List<String> storeArgs();

  /** The dispatcher factory writing to the store under test. */
  abstract LoggedRuns logged();

  Cli cli(Clock clock) {
    return new Cli(clock, storeArgs());
  }

  Cli cli() {
    return cli(LATER);
  }

  @Test
  void runsListsOneLinePerRunWithStatusLastStepAndLastLoss() throws Exception {
    Cli.Result table = cli().run("runs");
    assertThat(table.code()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).matches("EXPERIMENT +NAME +RUN +RANKS +STATUS +START +DURATION +LAST STEP +LOSS");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).matches("rank32_exp +lora-r32 +r32-run +1 +FINISHED +2026-11-20 10:00 .* 50 +"
        + Pattern.quote(Format.number(LoggedRuns.loss(32, 50))));
    assertThat(lines.get(2)).matches("rank64_exp +crashed +crashed-run +1 +STALE +2026-11-20 10:00 +10s +20 +"
        + Pattern.quote(Format.number(LoggedRuns.loss(64, 20))));

    JsonNode json = JSON.readTree(cli().run("runs", "--json").out());
    assertThat(json).hasSize(3);
    assertThat(json.get(0).get("run").asText()).isEqualTo("r32-run");
    assertThat(json.get(0).get("last_value").asDouble()).isEqualTo(LoggedRuns.loss(32, 50));
    assertThat(json.get(1).get("status").asText()).isEqualTo("STALE");
    assertThat(json.get(1).get("last_step").asLong()).isEqualTo(20);
    assertThat(json.get(2).get("status").asText()).isEqualTo("FINISHED");
  }

  @Test
  void aRunningRunIsRunningWhileItsHeartbeatIsFreshAndStaleAfterThreeIntervals() {
    Instant beat = LoggedRuns.CRASH_HEARTBEAT;
    assertThat(cli(Clock.fixed(beat.plusSeconds(30), ZoneOffset.UTC)).run("runs", "--status", "running").out())
        .contains("crashed-run").contains("RUNNING");
    assertThat(cli(Clock.fixed(beat.plusSeconds(31), ZoneOffset.UTC)).run("runs", "--status", "stale").out())
        .contains("crashed-run").contains("STALE");
  }

  @Test
  void runsFiltersByExperimentStatusConfigAndAge() throws Exception {
    assertThat(runIds(cli().run("runs", "--json", "--experiment", "rank64_exp"))).containsExactly("crashed-run", "r64-run");
    assertThat(runIds(cli().run("runs", "--json", "--where", "config.lora_rank=64"))).containsExactly("crashed-run", "r64-run");
    assertThat(runIds(cli().run("runs", "--json", "--where", "config.lora_rank<64", "--where", "tags.team=vision")))
        .containsExactly("r32-run");
    assertThat(runIds(cli().run("runs", "--json", "--status", "finished"))).containsExactly("r32-run", "r64-run");
    assertThat(runIds(cli().run("runs", "--json", "--since", "1h"))).hasSize(3);

    Cli.Result none = cli().run("runs", "--since", "5m");
    assertThat(none.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(none.err()).isEqualTo("no run matches (the store has 3 runs; see trainlog runs)\n");
  }

  @Test
  void aBadWhereExpressionPointsAtTheCharacter() {
    Cli.Result bad = cli().run("runs", "--where", "config.lora_rank=>64");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).isEqualTo("trainlog: bad --where 'config.lora_rank=>64': expected a value, not another "
        + "operator at character 18\n  config.lora_rank=>64\n                   ^\n");
  }

  @Test
  void showPrintsConfigTagsAndTheSummaryOfEveryMetric() throws Exception {
    Cli.Result text = cli().run("show", "r32-run");
    assertThat(text.code()).isZero();
    assertThat(text.out()).contains("experiment  rank32_exp").contains("status      FINISHED")
        .contains("  lora_rank = 32").contains("  hf_token = ****").doesNotContain("hf_secret_value");
    assertThat(text.out().lines().filter(l -> l.startsWith("loss ")).findFirst().orElseThrow())
        .matches("loss +50 +1 +50 +" + Pattern.quote(Format.number(LoggedRuns.loss(32, 50))) + " .* 1");

    JsonNode loss = JSON.readTree(cli().run("show", "lora-r32", "--json").out()).get("summary").get("loss");
    assertThat(loss.get("count").asLong()).isEqualTo(50);
    assertThat(loss.get("nan").asLong()).isEqualTo(1);
    assertThat(loss.get("min").asDouble()).isEqualTo(LoggedRuns.loss(32, 50));
    assertThat(loss.get("max").asDouble()).isEqualTo(LoggedRuns.loss(32, 1));
  }

  @Test
  void anUnknownRunExitsOneWithSuggestions() {
    Cli.Result unknown = cli().run("show", "lora-r23");
    assertThat(unknown.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(unknown.err()).isEqualTo("trainlog: no run 'lora-r23'; did you mean 'lora-r32' or 'lora-r64'?\n");
    assertThat(cli().run("compare", "rank23_exp", "--out", tmp.resolve("x.html").toString()).err())
        .isEqualTo("trainlog: no run 'rank23_exp'; did you mean 'rank32_exp' or 'rank64_exp'?\n");
  }

  @Test
  void compareEmbedsEverySeriesListsMissingMetricsAndTheConfigDiff() throws Exception {
    Path html = tmp.resolve("report.html");
    Path csv = tmp.resolve("points.csv");
    Cli.Result r = cli().run("compare", "rank32_exp", "rank64_exp", "--metric", "loss,eval/clip_score",
        "--out", html.toString(), "--csv", csv.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEqualTo("missing (no points): r32-run: eval/clip_score\n"
        + "missing (no points): crashed-run: eval/clip_score\n");

    JsonNode data = embeddedData(Files.readString(html));
    List<String> shape = new ArrayList<>();
    data.get("series").forEach(s -> shape.add(s.get("run").asText() + "/" + s.get("metric").asText() + "="
        + s.get("steps").size()));
    assertThat(shape).containsExactly("r32-run/loss=50", "crashed-run/loss=20", "r64-run/loss=50",
        "r64-run/eval/clip_score=5");
    JsonNode r32 = data.get("series").get(0);
    assertThat(r32.fieldNames()).toIterable().containsExactly("experiment", "run", "name", "metric", "steps", "values");
    assertThat(r32.get("values").get((int) LoggedRuns.NAN_STEP - 1).asText()).isEqualTo("NaN");
    assertThat(r32.get("values").get(0).asDouble()).isEqualTo(LoggedRuns.loss(32, 1));
    assertThat(data.get("config_diff").toString())
        .isEqualTo("{\"lora_rank\":{\"r32-run\":32,\"crashed-run\":64,\"r64-run\":64}}");
    assertThat(Files.readAllLines(csv)).hasSize(1 + 50 + 50 + 5 + 20)
        .contains("rank32_exp,r32-run,lora-r32,loss,25," + LoggedRuns.T0.toEpochMilli() + ",NaN");
    assertThat(Files.readString(html)).doesNotContainPattern("(src|href)=\"?(https?:)?//").contains("Charts drawn with uPlot 1.6.30").contains("Leon Sorokin");
  }

  @Test
  void compareOfAMetricNoRunHasExitsOne() {
    Cli.Result r = cli().run("compare", "r32-run", "--metric", "nope", "--out", tmp.resolve("x.html").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(r.err()).endsWith("trainlog: no points of nope and no images in 1 run(s); nothing to draw\n");
  }

  @Test
  void exportWritesCsvAndJsonLinesWithNaNAsText() throws Exception {
    Cli.Result csv = cli().run("export", "r32-run", "--format", "csv", "--metric", "loss");
    assertThat(csv.code()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines).hasSize(51);
    assertThat(lines.get(0)).isEqualTo("experiment,run,name,rank,step,timestamp,loss");
    assertThat(lines.get(25)).isEqualTo("rank32_exp,r32-run,lora-r32,0,25,2026-11-20T10:00:00Z,NaN");

    Path out = tmp.resolve("rank64.jsonl");
    Cli.Result jsonl = cli().run("export", "rank64_exp", "--format", "jsonl", "--out", out.toString());
    assertThat(jsonl.code()).isZero();
    List<String> rows = Files.readAllLines(out);
    assertThat(rows).hasSize(70);
    JsonNode tenth = JSON.readTree(rows.get(LoggedRuns.CRASH_STEPS + 9));
    assertThat(tenth.get("step").asLong()).isEqualTo(10);
    assertThat(tenth.get("metrics").get("eval/clip_score").asDouble()).isEqualTo(0.2 + 10 / 1000.0);
    assertThat(JSON.readTree(cli().run("export", "r32-run", "--format", "jsonl").out().lines().skip(24).findFirst()
        .orElseThrow()).get("metrics").get("loss").asText()).isEqualTo("NaN");
  }

  @Test
  void watchPrintsPointsLoggedAfterItStartedAndFailsOnANaNAlert() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    LogDispatcher live = logged().dispatcher(LoggedRuns.run("rank64_exp", "live", "live-run", 64), clock, "watch_alert");
    try {
      live.step(1).scalar("loss", 0.5).log();
      live.flush(Duration.ofSeconds(5));
      Cli cli = new Cli(Clock.systemUTC(), storeArgs());
      CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(() -> cli.run("watch", "live", "--database", "watch_alert",
          "--alert", "loss > 2", "--alert", "nan(loss)", "--fail-on-alert", "--interval", "50ms"));
      await().atMost(10, TimeUnit.SECONDS).until(() -> cli.outSoFar().contains("watching"));

      live.step(2).scalar("loss", 0.25).log();
      live.flush(Duration.ofSeconds(5));
      await().atMost(2, TimeUnit.SECONDS).until(() -> cli.outSoFar().contains("step 2  loss=0.25"));
      assertThat(cli.outSoFar()).doesNotContain("step 1  loss");

      live.step(3).scalar("loss", Double.NaN).log();
      live.flush(Duration.ofSeconds(5));
      Cli.Result result = watch.get(5, TimeUnit.SECONDS);
      assertThat(result.code()).isEqualTo(ExitCodes.ALERT);
      assertThat(result.out()).endsWith("step 3  loss=NaN\nALERT nan(loss) at step 3 (loss=NaN)\n");
      assertThat(result.out()).doesNotContain("ALERT loss > 2");
    } finally {
      live.close(RunStatus.FINISHED);
    }
  }

  @Test
  void watchEndsWhenTheRunEndsOrOnAStopRequest() throws Exception {
    LogDispatcher live = logged().dispatcher(LoggedRuns.run("rank64_exp", "ending", "ending-run", 64),
        new MutableClock(Instant.now()), "watch_end");
    live.step(1).scalar("loss", 0.5).log();
    live.flush(Duration.ofSeconds(5));
    Cli stopped = new Cli(Clock.systemUTC(), storeArgs());
    CompletableFuture<Cli.Result> first = CompletableFuture.supplyAsync(() -> stopped.run("watch", "ending", "--database", "watch_end"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> stopped.outSoFar().contains("watching"));
    stopped.stop.request();
    assertThat(first.get(5, TimeUnit.SECONDS)).satisfies(r -> {
      assertThat(r.code()).isZero();
      assertThat(r.out()).endsWith("stopped\n");
    });

    Cli ends = new Cli(Clock.systemUTC(), storeArgs());
    CompletableFuture<Cli.Result> second = CompletableFuture.supplyAsync(() -> ends.run("watch", "ending", "--database", "watch_end"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> ends.outSoFar().contains("watching"));
    live.close(RunStatus.FAILED);
    assertThat(second.get(10, TimeUnit.SECONDS).out()).endsWith("run ending-run ended: FAILED\n");
  }

  static List<String> runIds(Cli.Result r) throws Exception {
    assertThat(r.code()).as(r.err()).isZero();
    List<String> ids = new ArrayList<>();
    JSON.readTree(r.out()).forEach(n -> ids.add(n.get("run").asText()));
    return ids;
  }

  static JsonNode embeddedData(String html) throws Exception {
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"trainlog-report\">(.*?)</script>",
        Pattern.DOTALL).matcher(html);
    assertThat(m.find()).isTrue();
    return JSON.readTree(m.group(1));
  }
}
