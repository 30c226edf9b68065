package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How each value kind reaches MLflow, and why non-finite values travel as strings. */
class ValueEncodingTest extends ServerTestBase {

  @Test
  void nonFiniteValuesTravelAsStringsAndTheRestOfTheBatchIsKept() throws Exception {
    MlflowBackend backend = open();

    backend.write(List.of(
        record(run(), 5, "loss", Double.NaN, "lr", 0.5),
        record(run(), 6, "loss", Double.POSITIVE_INFINITY, "lr", 0.25),
        record(run(), 7, "loss", Double.NEGATIVE_INFINITY, "lr", 0.125)));

    Map<String, List<JsonNode>> history = reader.history(backend.runId());
    assertThat(server.store.corruptedBatches).isZero();
    assertThat(history.get("loss")).extracting(p -> p.path("step").asLong() + "=" + p.path("value").asText())
        .containsExactly("5=NaN", "6=1.7976931348623157E308", "7=-1.7976931348623157E308");
    assertThat(history.get("lr")).extracting(p -> p.path("value").asDouble()).containsExactly(0.5, 0.25, 0.125);
  }

  @Test
  void aBareNanLiteralIsAcceptedButCorruptsTheRunOnTheRulesServer() throws Exception {
    MlflowBackend backend = open();
    String body = "{\"run_id\":\"" + backend.runId() + "\",\"metrics\":["
        + "{\"key\":\"loss\",\"value\":NaN,\"timestamp\":1000,\"step\":5},"
        + "{\"key\":\"lr\",\"value\":0.5,\"timestamp\":1000,\"step\":5}]}";

    assertThat(RawPost.post(server.uri(), "runs/log-batch", body)).isEqualTo("{}");

    assertThat(server.store.corruptedBatches).isEqualTo(1);
    assertThat(stored(backend).points).containsExactly(new RulesStore.Point("loss", 0.0, false, 1000, 0));
  }

  @Test
  void aPostWithoutJsonContentTypeIsRefusedByTheRulesServer() throws Exception {
    MlflowBackend backend = open();
    String body = "{\"run_id\":\"" + backend.runId() + "\",\"metrics\":[]}";

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RawPost.post(server.uri(), "runs/log-batch", body, "Content-Type", "text/plain"))
        .hasMessage("400 {\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Bad Request. Content-Type must be"
            + " one of ['application/json'].\"}");
  }

  @Test
  void vectorsBecomeOneMetricPerElementByDefault() throws Exception {
    MlflowBackend backend = open();

    backend.write(List.of(record(run(), 0, "gpu_util", new double[] {78, 82, 76})));

    assertThat(reader.history(backend.runId())).containsOnlyKeys("gpu_util/0", "gpu_util/1", "gpu_util/2");
  }

  @Test
  void vectorsCanBeSummarised() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.vectors = "summary";
    MlflowBackend backend = open(config, run());

    backend.write(List.of(record(run(), 0, "gpu_util", new double[] {78, 82, 76})));

    Map<String, List<JsonNode>> history = reader.history(backend.runId());
    assertThat(history).containsOnlyKeys("gpu_util/min", "gpu_util/max", "gpu_util/mean");
    assertThat(history.get("gpu_util/mean").get(0).path("value").asDouble()).isEqualTo(78.66666666666667);
  }

  @Test
  void vectorsCanBeSkipped() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.vectors = "skip";
    MlflowBackend backend = open(config, run());

    backend.write(List.of(record(run(), 0, "gpu_util", new double[] {78, 82}, "loss", 1.0)));

    assertThat(reader.history(backend.runId())).containsOnlyKeys("loss");
  }

  @Test
  void nestedMapsAreFlattenedWithSlashes() throws Exception {
    MlflowBackend backend = open();

    backend.write(List.of(record(run(), 0, "eval", Map.of("accuracy", 0.75))));

    assertThat(reader.history(backend.runId())).containsOnlyKeys("eval/accuracy");
  }

  @Test
  void textsAreSkippedAndCountedByDefault() throws Exception {
    MlflowBackend backend = open();

    backend.write(List.of(record(run(), 0, "caption", "a cat", "loss", 1.0), record(run(), 1, "caption", "a dog")));

    assertThat(reader.history(backend.runId())).containsOnlyKeys("loss");
    assertThat(stored(backend).tags).doesNotContainKey("caption");
  }

  @Test
  void textsCanBecomeATagHoldingTheLastValueAtTheEnd() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.text = "tag-at-end";
    MlflowBackend backend = open(config, run());

    backend.write(List.of(record(run(), 0, "caption", "a cat"), record(run(), 1, "caption", "a dog")));
    backend.close(RunStatus.FINISHED);

    assertThat(stored(backend).tags).containsEntry("caption", "a dog");
  }

  @Test
  void paramsComeFromTheFlattenedConfigSnapshot() throws Exception {
    MlflowBackend backend = open();

    assertThat(stored(backend).params).containsExactlyInAnyOrderEntriesOf(Map.of(
        "model", "SDXL", "lora_rank", "64", "batch_size", "32", "optimizer.name", "adamw", "optimizer.lr", "1.0E-4"));
  }
}
