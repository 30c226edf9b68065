package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.cli.ui.UiServer;
import dev.trainlog.query.TrainlogStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web view's JSON API over {@link LoggedRuns} in mongo-java-server: shapes, errors, the token, the command. */
class UiApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private TestMongo server;
  private String uri;
  private LoggedRuns logged;
  private TrainlogStore store;
  private UiServer ui;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    server = new TestMongo();
    uri = server.uri;
    logged = new LoggedRuns(uri, tmp).logAll();
    store = TrainlogStore.open(uri);
  }

  @AfterEach
  void stop() {
    if (ui != null) {
      ui.close();
    }
    store.close();
    logged.close();
    server.close();
  }

  private String base() {
    if (ui == null) {
      ui = UiServer.start(store, "127.0.0.1", 0, null, Duration.ofMillis(100));
    }
    return "http://127.0.0.1:" + ui.port();
  }

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String url) throws Exception {
    HttpResponse<String> r = get(url);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
    return JSON.readTree(r.body());
  }

  @Test
  void runsListsEveryRunWithIdNameExperimentStatusAndTheLastAndBestOfTheMetric() throws Exception {
    JsonNode runs = json(base() + "/api/runs");
    assertThat(runs).hasSize(3);
    JsonNode r64 = runs.findParents("run").stream().filter(n -> n.get("run").asText().equals("r64-run")).findFirst()
        .orElseThrow();
    assertThat(r64.get("name").asText()).isEqualTo("lora-r64");
    assertThat(r64.get("experiment").asText()).isEqualTo("rank64_exp");
    assertThat(r64.get("status").asText()).isEqualTo("FINISHED");
    assertThat(r64.get("last_step").asLong()).isEqualTo(50);
    assertThat(r64.get("last").asDouble()).isEqualTo(LoggedRuns.loss(64, 50));
    assertThat(json(base() + "/api/runs?experiment=rank32_exp")).hasSize(1);
    assertThat(json(base() + "/api/runs?where=config.lora_rank=64")).hasSize(2);
  }

  @Test
  void oneRunCarriesConfigTagsBackendsAndSummaryWithSecretsRedacted() throws Exception {
    JsonNode run = json(base() + "/api/runs/r32-run");
    assertThat(run.get("config").get("model").asText()).isEqualTo("SDXL");
    assertThat(run.get("config").get("hf_token").asText()).doesNotContain("hf_secret_value");
    assertThat(run.get("tags").get("team").asText()).isEqualTo("vision");
    assertThat(run.get("summary").findValuesAsText("metric")).containsExactlyInAnyOrder("loss", "lr");
  }

  @Test
  void aSeriesHasEveryPointUpToTheBudgetWithNonFiniteValuesAsStrings() throws Exception {
    JsonNode s = json(base() + "/api/runs/r32-run/series?metric=loss&points=10000");
    assertThat(s.get("steps")).hasSize(LoggedRuns.STEPS);
    assertThat(s.get("values").get((int) LoggedRuns.NAN_STEP - 1).asText()).isEqualTo("NaN");
    assertThat(s.get("values").get(0).asDouble()).isEqualTo(LoggedRuns.loss(32, 1));

    JsonNode small = json(base() + "/api/runs/r32-run/series?metric=loss&points=10");
    assertThat(small.get("steps").size()).isEqualTo(10);
    assertThat(small.get("stored_points").asInt()).isEqualTo(LoggedRuns.STEPS);
    assertThat(small.get("values").findValuesAsText("").size()).isZero();
    assertThat(small.get("values").toString()).contains("\"NaN\"");
  }

  @Test
  void theReachedQueryAnswersTheSeedsQuestion() throws Exception {
    // loss(64, s) = 0.03 + 0.1 exp(-s/15) < 0.05 from s = 25 on; loss(32, s) = 0.04 + ... from s = 35 on
    JsonNode found = json(base() + "/api/query?reached=loss%3C0.05&within=30");
    assertThat(found.findValuesAsText("run")).containsExactly("r64-run");
    assertThat(found.get(0).get("step").asLong()).isEqualTo(25);
    JsonNode both = json(base() + "/api/query?reached=loss%3C0.05&within=35");
    assertThat(both.findValuesAsText("run")).containsExactly("r32-run", "r64-run");
    assertThat(both.findValuesAsText("step")).containsExactly("35", "25");
    assertThat(json(base() + "/api/query?reached=loss%3C0.05&within=24")).isEmpty();
  }

  @Test
  void alertsSayWhichRulesFiredOverTheStoredPointsAndByDefaultWhichMetricWentNonFinite() throws Exception {
    JsonNode byDefault = json(base() + "/api/runs/r32-run/alerts");
    assertThat(byDefault.findValuesAsText("rule")).containsExactly("nan(loss)", "nan(lr)");
    assertThat(byDefault.findValuesAsText("fired")).containsExactly("true", "false");
    assertThat(byDefault.get(0).get("first_step").asLong()).isEqualTo(LoggedRuns.NAN_STEP);
    assertThat(byDefault.get(0).get("first_value").asText()).isEqualTo("NaN");
    assertThat(byDefault.get(1).get("first_step").isNull()).isTrue();

    // loss(32, s) = 0.04 + 0.1 exp(-s/15) is above 0.1 for s < 15 ln(1/0.6) = 7.7
    JsonNode above = json(base() + "/api/runs/r32-run/alerts?rule=loss%20%3E%200.1");
    assertThat(above).hasSize(1);
    assertThat(above.get(0).get("count").asLong()).isEqualTo(7);
    assertThat(above.get(0).get("first_step").asLong()).isEqualTo(1);
    assertThat(above.get(0).get("last_step").asLong()).isEqualTo(7);
    assertThat(above.get(0).get("first_time").asText()).isEqualTo(LoggedRuns.T0.toString());

    HttpResponse<String> bad = get(base() + "/api/runs/r32-run/alerts?rule=loss%20%3E%3E%202");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").asText()).isEqualTo("rule was 'loss >> 2' but it must read "
        + "'<metric> > <number>', '<metric> < <number>', 'nan(<metric>)' or '<metric> > <number>*<metric>', e.g. 'loss > 2'");
  }

  @Test
  void oneRunSaysHowFarEachRankReachedTheStore() throws Exception {
    JsonNode finished = json(base() + "/api/runs/r64-run").get("delivery");
    assertThat(finished).hasSize(1);
    assertThat(finished.get(0).get("rank").asInt()).isZero();
    assertThat(finished.get(0).get("status").asText()).isEqualTo("finished");
    assertThat(finished.get(0).get("stored_step").asLong()).isEqualTo(LoggedRuns.STEPS);
    assertThat(finished.get(0).get("reported_step").asLong()).isEqualTo(LoggedRuns.STEPS);
    assertThat(finished.get(0).get("stored_at").asText()).isEqualTo(LoggedRuns.T0.toString());

    JsonNode crashed = json(base() + "/api/runs/crashed-run").get("delivery").get(0);
    assertThat(crashed.get("status").asText()).isEqualTo("running");
    assertThat(crashed.get("stored_step").asLong()).isEqualTo(LoggedRuns.CRASH_STEPS);
    assertThat(crashed.get("heartbeat").asText()).isEqualTo(LoggedRuns.CRASH_HEARTBEAT.toString());
  }

  @Test
  void badRequestsGetAJsonErrorWithAMessageAndNoStackTrace() throws Exception {
    HttpResponse<String> noRun = get(base() + "/api/runs/nope");
    assertThat(noRun.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(noRun.body()).get("error").asText()).isEqualTo("no run 'nope' in the store (see /api/runs)");

    HttpResponse<String> noMetric = get(base() + "/api/runs/r32-run/series?metric=accuracy");
    assertThat(noMetric.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(noMetric.body()).get("error").asText())
        .isEqualTo("run 'r32-run' has no metric 'accuracy' (it has loss, lr)");

    HttpResponse<String> badQuery = get(base() + "/api/query?reached=loss%3E0.05&within=10");
    assertThat(badQuery.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badQuery.body()).get("error").asText())
        .isEqualTo("reached was 'loss>0.05' but it must read METRIC<NUMBER, e.g. loss<0.05");

    HttpResponse<String> badPoints = get(base() + "/api/runs/r32-run/series?metric=loss&points=x");
    assertThat(badPoints.statusCode()).isEqualTo(400);
    assertThat(badPoints.body()).doesNotContain("Exception").doesNotContain("at dev.");

    HttpResponse<String> unknown = get(base() + "/../../etc/passwd");
    assertThat(unknown.statusCode()).isIn(400, 404);
    assertThat(unknown.body()).doesNotContain("root:");

    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/runs"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isIn(404, 405);
    assertThat(JSON.readTree(post.body()).has("error")).isTrue();
  }

  @Test
  void onANonLoopbackBindEveryRequestWithoutTheTokenGets401() throws Exception {
    assertThatThrownBy(() -> UiServer.start(store, "0.0.0.0", 0, null, Duration.ofMillis(100)))
        .hasMessage("--host 0.0.0.0 is reachable from other machines; give --token");
    ui = UiServer.start(store, "0.0.0.0", 0, "s3cret", Duration.ofMillis(100));
    String base = "http://127.0.0.1:" + ui.port();
    for (String path : List.of("/", "/api/runs", "/api/runs/r32-run", "/assets/app.js")) {
      HttpResponse<String> r = get(base + path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
    }
    assertThat(get(base + "/api/runs", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(get(base + "/api/runs", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    HttpResponse<String> once = get(base + "/?token=s3cret");
    assertThat(once.statusCode()).isEqualTo(200);
    String cookie = once.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("trainlog_token=s3cret").contains("HttpOnly");
    assertThat(get(base + "/api/runs", "Cookie", cookie.substring(0, cookie.indexOf(';'))).statusCode()).isEqualTo(200);
  }

  @Test
  @org.junit.jupiter.api.Timeout(30) // a stream that never sends would otherwise block the build
  void theStreamSendsAStoredRunsPointsAfterTheGivenStepAsServerSentEvents() throws Exception {
    HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(
        URI.create(base() + "/api/stream?run=r64-run&after=48")).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
    java.util.Iterator<String> lines = r.body().iterator();
    String data = null;
    while (data == null && lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data: ")) {
        data = line.substring("data: ".length());
      }
    }
    JsonNode points = JSON.readTree(data);
    assertThat(points.get("loss").get("steps").toString()).isEqualTo("[49,50]");
    r.body().close();
  }

  @Test
  void theUiCommandServesTheStoreUntilStopped() throws Exception {
    Cli cli = new Cli(java.time.Clock.systemUTC(), List.of("--store", uri));
    CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> cli.run("ui", "--port", "0"));
    await().atMost(Duration.ofSeconds(20)).until(() -> cli.outSoFar().contains("Ctrl-C stops it."));
    String url = cli.outSoFar().lines().filter(l -> l.startsWith("trainlog ui: serving")).findFirst().orElseThrow();
    String address = url.substring(url.indexOf("http://")).trim();
    assertThat(JSON.readTree(get(address + "api/runs").body())).hasSize(3);
    cli.stop.request();
    assertThat(running.get().code()).isZero();
  }
}
