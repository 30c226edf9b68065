package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small example experiment (two runs with scalars, a histogram, text, hparams, and a
 * resumed stretch) for checking by hand with the real TensorBoard; not a test. Argument: the log dir.
 */
public final class SampleRun {

  private SampleRun() {}

  public static void main(String[] args) throws Exception {
    String logDir = args.length > 0 ? args[0] : "runs";
    long start = System.currentTimeMillis() - 3_600_000L;
    write(logDir, "lr-1e-4", 1e-4, 64, start, 0, 50, RunStatus.FINISHED);
    write(logDir, "lr-3e-4", 3e-4, 32, start, 0, 50, RunStatus.FAILED);
    // resume lr-1e-4 from step 30: TensorBoard should hide the first session's points from 30 on
    write(logDir, "lr-1e-4", 1e-4, 64, start, 30, 60, RunStatus.FINISHED);
  }

  private static void write(String logDir, String name, double lr, int rank, long start, int from, int to, RunStatus status)
      throws Exception {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "SDXL");
    config.put("lora_rank", rank);
    config.put("use_ema", true);
    config.put("optimizer", Map.of("name", "adamw", "lr", lr));
    RunInfo run = RunInfo.builder().experiment("sample").runName(name).runId("sample-" + name).node("node-0")
        .config(config).startTimeMillis(start).build();
    TensorBoardBackend backend = new TensorBoardBackend(
        run, TensorBoardConfig.defaults().withLogDir(logDir), Clock.systemUTC(), EventFile.CREATE_NEW);
    backend.open();
    List<LogRecord> batch = new ArrayList<>();
    for (int step = from; step < to; step++) {
      Map<String, Object> m = new LinkedHashMap<>();
      double offset = from > 0 ? 0.2 : 0;
      m.put("loss", 2.0 / (1 + step * lr * 1e3) + offset);
      m.put("train/lr", lr);
      m.put("gpu_util", new double[] {70 + step % 7, 80 + step % 5, 75, 90 - step % 3});
      if (step == 10) {
        m.put("grad_norm", Double.NaN);
      } else if (step == 11) {
        m.put("grad_norm", Double.POSITIVE_INFINITY);
      } else {
        m.put("grad_norm", 1.0 + step % 4);
      }
      if (step % 10 == 0) {
        m.put("sample_caption", "step " + step + ": a cat in **anime** style");
      }
      batch.add(new LogRecord(run, step, step, start + step * 1000L, m, false));
    }
    backend.write(batch);
    backend.close(status);
  }
}
