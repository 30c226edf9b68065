package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every request respects the server's log-batch limits, and N metrics cost ⌈N/1000⌉ calls. */
class LogBatchLimitsTest extends ServerTestBase {

  @Test
  void twoThousandFiveHundredMetricsCostThreeLogBatchCalls() throws Exception {
    MlflowBackend backend = open();
    int before = server.requests("runs/log-batch");
    List<LogRecord> batch = new ArrayList<>();
    for (int step = 0; step < 125; step++) {
      batch.add(wide(run(), step, 20));
    }

    backend.write(batch);

    assertThat(server.requests("runs/log-batch") - before).isEqualTo(3);
    assertThat(stored(backend).points).hasSize(2500);
  }

  @Test
  void exactlyOneThousandMetricsCostOneCallAndOneMoreCostsTwo() throws Exception {
    MlflowBackend backend = open();
    int before = server.requests("runs/log-batch");
    backend.write(List.of(wide(run(), 0, 1000)));
    assertThat(server.requests("runs/log-batch") - before).isEqualTo(1);

    backend.write(List.of(wide(run(), 1, 1001)));
    assertThat(server.requests("runs/log-batch") - before).isEqualTo(3);
    assertThat(stored(backend).points).hasSize(2001);
  }

  @Test
  void oneHundredFiftyParamsCostTwoRequests() throws Exception {
    Map<String, Object> config = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      config.put("p" + i, i);
    }
    RunInfo run = run().toBuilder().config(config).build();

    MlflowBackend backend = open(Fixtures.config(server.uri()), run);

    assertThat(server.requests("runs/log-batch")).isEqualTo(2);
    assertThat(stored(backend).params).hasSize(150).containsEntry("p149", "149");
  }

  @Test
  void largeParamsAndTagsAreSplitBelowOneMegabyte() throws Exception {
    Map<String, Object> config = new LinkedHashMap<>();
    RunInfo.Builder builder = run().toBuilder();
    for (int i = 0; i < 100; i++) {
      config.put("p" + i, "x".repeat(6000));
      builder.tag("t" + i, "y".repeat(5000));
    }

    MlflowBackend backend = open(Fixtures.config(server.uri()), builder.config(config).build());

    assertThat(server.largestBody()).isLessThan(BatchSplitter.MAX_BODY_BYTES);
    assertThat(server.requests("runs/log-batch")).isEqualTo(2);
    assertThat(stored(backend).params).hasSize(100);
    assertThat(stored(backend).tags).containsEntry("t99", "y".repeat(5000));
  }

  @Test
  void theServerRefusesOneThousandAndOneMetricsWithItsOwnMessage() throws Exception {
    MlflowBackend backend = open();
    StringBuilder body = new StringBuilder("{\"run_id\":\"" + backend.runId() + "\",\"metrics\":[");
    for (int i = 0; i < 1001; i++) {
      body.append(i == 0 ? "" : ",").append("{\"key\":\"k\",\"value\":1,\"timestamp\":").append(i).append(",\"step\":0}");
    }
    body.append("]}");

    assertThatThrownBy(() -> RawPost.post(server.uri(), "runs/log-batch", body.toString()))
        .hasMessage("400 {\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"A batch logging request can"
            + " contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests"
            + " and try again.\"}");
  }

  @Test
  void splitterKeepsOrderAndCutsAtEachLimit() {
    ItemFactory items = new ItemFactory(new ObjectMapper(), new KeySanitizer());
    LogRecord r = TestRecords.record(run(), 0, Map.of());
    List<BatchItem> all = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      all.add(items.param("p" + i, "v"));
    }
    for (int i = 0; i < 1500; i++) {
      all.add(items.metric("m" + i, i, r));
    }

    List<LogBatchRequest> requests = BatchSplitter.split(all);

    assertThat(requests).extracting(q -> q.params + "p+" + q.metrics + "m")
        .containsExactly("100p+0m", "50p+950m", "0p+550m");
  }
}
