package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The real server takes what the backend sends at MLflow's limits: batch sizes, non-finite values,
 * long keys, long params and tags. Each limit is also shown from the server's side with a request
 * the backend never sends.
 */
class RealServerLimitsTest extends RealServerTestBase {

  @Test
  void oneThousandMetricsGoInOneLogBatchAndOneThousandAndOneInTwo() throws Exception {
    RunInfo run = run("limits");
    MlflowBackend backend = open(config(), run);
    long before = proxy.requests("runs/log-batch");

    backend.write(List.of(ServerTestBase.wide(run, 0, 1000)));
    long forOneThousand = proxy.requests("runs/log-batch") - before;
    backend.write(List.of(ServerTestBase.wide(run, 1, 1001)));
    long forOneThousandAndOne = proxy.requests("runs/log-batch") - before - forOneThousand;

    assertThat(forOneThousand).isEqualTo(1);
    assertThat(forOneThousandAndOne).isEqualTo(2);
    assertThat(proxy.statuses("runs/log-batch")).containsOnly(200);
    JsonNode latest = runsGet(backend.runId()).path("data").path("metrics");
    assertThat(latest).hasSize(1001).allSatisfy(m -> assertThat(m.path("step").asLong()).isEqualTo(1));
    assertThat(history(backend.runId(), "m0")).extracting(Point::step, Point::value)
        .containsExactly(tuple(0L, 0.0), tuple(1L, 1.0));
    assertThat(history(backend.runId(), "m1000")).extracting(Point::step).containsExactly(1L);
  }

  @Test
  void theServerRefusesOneThousandAndOneMetricsInOneRequest() throws Exception {
    String runId = rawRun();
    String metrics = IntStream.range(0, 1001)
        .mapToObj(i -> "{\"key\":\"m" + i + "\",\"value\":1,\"timestamp\":1,\"step\":0}")
        .collect(Collectors.joining(","));

    IOException e = catchThrowableOfType(IOException.class, () -> RawPost.post(trackingUri, "runs/log-batch",
        "{\"run_id\":\"" + runId + "\",\"metrics\":[" + metrics + "]}"));

    assertThat(e).hasMessageStartingWith("400 ").hasMessageContaining("\"INVALID_PARAMETER_VALUE\"")
        .hasMessageContaining("A batch logging request can contain at most 1000 metrics. Got 1001 metrics.");
  }

  @Test
  void oneHundredFiftyParamsAreAllStoredInTwoRequestsWhereTheServerRefuses101InOne() throws Exception {
    Map<String, Object> config = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      config.put(String.format("p%03d", i), "v" + i);
    }
    RunInfo run = run("params").toBuilder().config(config).build();

    MlflowBackend backend = open(config(), run);

    // 100 params, then 50 params with the run's one tag
    assertThat(proxy.statuses("runs/log-batch")).containsExactly(200, 200);
    Map<String, String> stored = pairs(runsGet(backend.runId()), "params");
    assertThat(stored).hasSize(150).containsEntry("p000", "v0").containsEntry("p149", "v149");
    String params = IntStream.range(0, 101).mapToObj(i -> "{\"key\":\"q" + i + "\",\"value\":\"v\"}")
        .collect(Collectors.joining(","));
    String rawRun = rawRun();
    assertThat(catchThrowableOfType(IOException.class, () -> RawPost.post(trackingUri, "runs/log-batch",
        "{\"run_id\":\"" + rawRun + "\",\"params\":[" + params + "]}")))
        .hasMessageContaining("A batch logging request can contain at most 100 params. Got 101 params.");
  }

  @Test
  void nanAndInfinitiesAreStoredAsNanAndTheLargestDoublesOnSqlite() throws Exception {
    RunInfo run = run("nonfinite");
    MlflowBackend backend = open(config(), run);

    backend.write(List.of(
        ServerTestBase.record(run, 0, "loss", Double.NaN, "up", Double.POSITIVE_INFINITY,
            "down", Double.NEGATIVE_INFINITY, "ok", 0.5),
        ServerTestBase.record(run, 1, "loss", 0.25, "up", 1.0, "down", -1.0, "ok", 0.75)));

    assertThat(history(backend.runId(), "loss")).extracting(Point::value).containsExactly(Double.NaN, 0.25);
    assertThat(history(backend.runId(), "up")).extracting(Point::value).containsExactly(Double.MAX_VALUE, 1.0);
    assertThat(history(backend.runId(), "down")).extracting(Point::value).containsExactly(-Double.MAX_VALUE, -1.0);
    assertThat(history(backend.runId(), "ok")).extracting(Point::value).containsExactly(0.5, 0.75);
    JsonNode raw = reader.get("metrics/get-history", Map.of("run_id", backend.runId(), "metric_key", "loss"));
    assertThat(raw.path("metrics").get(0).path("value").asText()).isEqualTo("NaN");
    assertThat(raw.path("metrics").get(0).path("step").asLong()).isZero();
  }

  @Test
  void aKeyOf250CharactersIsKeptAndLongerOrInvalidKeysAreStoredAsSanitised() throws Exception {
    RunInfo run = run("keys");
    String max = "k".repeat(250);
    String tooLong = "l".repeat(300);
    CRC32 crc = new CRC32();
    crc.update(tooLong.getBytes(StandardCharsets.UTF_8));
    MlflowBackend backend = open(config(), run);

    backend.write(List.of(ServerTestBase.record(run, 0, max, 1.0, tooLong, 2.0, "gpu_util[0]", 3.0, "a//b/", 4.0)));

    assertThat(proxy.statuses("runs/log-batch")).containsOnly(200);
    Map<String, Double> latest = new LinkedHashMap<>();
    runsGet(backend.runId()).path("data").path("metrics")
        .forEach(m -> latest.put(m.path("key").asText(), m.path("value").asDouble()));
    assertThat(latest).containsOnly(
        Map.entry(max, 1.0),
        Map.entry("l".repeat(241) + "-" + String.format("%08x", crc.getValue()), 2.0),
        Map.entry("gpu_util_0_", 3.0),
        Map.entry("a/b", 4.0));
    assertThat(backend.keyWarnings()).isEqualTo(3);
  }

  @Test
  void theServerRefusesAKeyOf251Characters() throws Exception {
    String runId = rawRun();

    IOException e = catchThrowableOfType(IOException.class, () -> RawPost.post(trackingUri, "runs/log-batch",
        "{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"" + "k".repeat(251)
            + "\",\"value\":1,\"timestamp\":1,\"step\":0}]}"));

    assertThat(e).hasMessageStartingWith("400 ").hasMessageContaining("had length 251, which exceeded length limit of 250");
  }

  @Test
  void aParamOver6000CharactersIsStoredAsItsFirst6000TheSameAsTheServerCutsIt() throws Exception {
    String long7000 = text(7000);
    String exact6000 = text(6000).replace('0', 'x');
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("prompt", long7000);
    config.put("negative_prompt", exact6000);
    RunInfo run = run("long").toBuilder().config(config).build();

    MlflowBackend backend = open(config(), run);
    String rawRun = rawRun();
    RawPost.post(trackingUri, "runs/log-batch",
        "{\"run_id\":\"" + rawRun + "\",\"params\":[{\"key\":\"prompt\",\"value\":\"" + long7000 + "\"}]}");

    Map<String, String> viaBackend = pairs(runsGet(backend.runId()), "params");
    assertThat(viaBackend.get("prompt")).isEqualTo(long7000.substring(0, 6000));
    assertThat(viaBackend.get("negative_prompt")).isEqualTo(exact6000);
    // the server cuts silently to the same 6000: the backend's cut only adds the warning
    assertThat(pairs(runsGet(rawRun), "params").get("prompt")).isEqualTo(viaBackend.get("prompt"));
  }

  @Test
  void aTagOver5000CharactersIsCutTo5000ThoughThisServerWouldKeep6000() throws Exception {
    String note = text(6000);
    RunInfo run = run("tag").toBuilder().tag("note", note).build();

    MlflowBackend backend = open(config(), run);
    String rawRun = rawRun();
    RawPost.post(trackingUri, "runs/log-batch",
        "{\"run_id\":\"" + rawRun + "\",\"tags\":[{\"key\":\"note\",\"value\":\"" + note + "\"}]}");

    // 5000 is MLflow's documented tag limit, which newer servers may enforce
    assertThat(pairs(runsGet(backend.runId()), "tags").get("note")).isEqualTo(note.substring(0, 5000));
    assertThat(pairs(runsGet(rawRun), "tags").get("note")).isEqualTo(note);
  }

  /** {@code length} characters that differ along the string, so a cut in the wrong place shows. */
  private static String text(int length) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; parts.size() * 10 < length; i++) {
      parts.add(String.format("%09d ", i));
    }
    return String.join("", parts).substring(0, length);
  }
}
