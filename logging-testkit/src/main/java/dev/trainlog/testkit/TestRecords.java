package dev.trainlog.testkit;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds runs and records for backend tests without a dispatcher. */
public final class TestRecords {

  /** Wall time of step 0 in records made here: 2026-01-01T00:00:00Z. */
  public static final long START_MILLIS = 1_767_225_600_000L;

  private TestRecords() {}

  /** A single-rank run of experiment {@code exp} with a small config snapshot. */
  public static RunInfo run(String experiment, String runName) {
    return run(experiment, runName, 0, 1, "node-0");
  }

  public static RunInfo run(String experiment, String runName, int rank, int worldSize, String node) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "SDXL");
    config.put("lora_rank", 64);
    config.put("batch_size", 32);
    config.put("optimizer", Map.of("name", "adamw", "lr", 1.0e-4));
    return RunInfo.builder()
        .experiment(experiment)
        .runName(runName)
        .runId(experiment + "-" + runName + "-id")
        .rank(rank)
        .worldSize(worldSize)
        .node(node)
        .tag("team", "vision")
        .config(config)
        .startTimeMillis(START_MILLIS)
        .build();
  }

  /** The loss used by {@link #scalarSteps}: decreasing, distinct per step, exact in float32. */
  public static double loss(long step) {
    return 1.0 / (1 + step) + 0.5;
  }

  /** The learning rate used by {@link #scalarSteps}. */
  public static double lr(long step) {
    return step * 0.25;
  }

  /** Records for steps {@code from} (inclusive) to {@code to} (exclusive) with {@code loss} and {@code lr}. */
  public static List<LogRecord> scalarSteps(RunInfo run, long from, long to) {
    List<LogRecord> records = new ArrayList<>();
    for (long step = from; step < to; step++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss", loss(step));
      m.put("lr", lr(step));
      records.add(record(run, step, m));
    }
    return records;
  }

  /** A record at {@code step} with sequence = step and wall time one second per step. */
  public static LogRecord record(RunInfo run, long step, Map<String, Object> metrics) {
    return new LogRecord(run, step, step, START_MILLIS + step * 1000, MetricMap.copyOf(metrics), false);
  }

  /** A record with one metric of every kind: scalar, vector, text and a nested map. */
  public static LogRecord everyKind(RunInfo run, long step) {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("accuracy", 0.75);
    nested.put("note", "ok");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", loss(step));
    m.put("gpu_util", new double[] {78, 82, 76, 80});
    m.put("sample_caption", "a cat in anime style");
    m.put("eval", Collections.unmodifiableMap(nested));
    return record(run, step, m);
  }
}
