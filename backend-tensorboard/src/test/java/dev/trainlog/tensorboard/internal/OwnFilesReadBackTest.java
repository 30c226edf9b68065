package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.tensorboard.read.EventFileReader;
import dev.trainlog.tensorboard.read.TbHistogram;
import dev.trainlog.tensorboard.read.TbRecord;
import dev.trainlog.tensorboard.read.TbRun;
import dev.trainlog.tensorboard.read.TensorBoardLogDir;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader reads this module's own backend's files back as what was logged, and agrees record for
 * record with the tests' independent protobuf-java decoder.
 */
class OwnFilesReadBackTest {

  @TempDir
  Path logDir;

  private static List<TbRecord> readRun(TbRun run) throws Exception {
    List<TbRecord> records = new ArrayList<>();
    for (Path file : run.eventFiles()) {
      try (EventFileReader reader = EventFileReader.open(file)) {
        for (TbRecord r; (r = reader.next()) != null; ) {
          records.add(r);
        }
        assertThat(reader.crcErrors()).isZero();
        assertThat(reader.skippedKinds()).isEmpty();
      }
    }
    return records;
  }

  @Test
  void whatTheBackendLoggedIsReadBack() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    List<LogRecord> logged = new ArrayList<>();
    for (int step = 0; step < 40; step++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss", step == 7 ? Double.NaN : step == 8 ? Double.POSITIVE_INFINITY : step == 9
          ? Double.NEGATIVE_INFINITY : TestRecords.loss(step));
      m.put("eval", Map.of("acc", step * 0.125));
      if (step % 10 == 0) {
        m.put("gpu_util", new double[] {78, 82, 76, 80 + step});
        m.put("caption", "step " + step + ": a cat ✓");
      }
      logged.add(Fixtures.record(Fixtures.RUN, step, m.entrySet().stream()
          .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray()));
    }
    backend.write(logged);
    backend.close(RunStatus.FAILED);

    List<TbRun> runs = TensorBoardLogDir.scan(logDir);
    assertThat(runs).extracting(TbRun::name).containsExactly("exp/run-a");
    List<TbRecord> read = readRun(runs.get(0));
    List<TbRecord> withValues = read.stream().filter(r -> !r.scalars().isEmpty() && r.sessionStart() == null).toList();
    assertThat(withValues).hasSize(logged.size());
    for (int i = 0; i < logged.size(); i++) {
      LogRecord want = logged.get(i);
      TbRecord got = withValues.get(i);
      assertThat(got.step()).isEqualTo(want.step());
      assertThat(got.wallTime()).isEqualTo(want.timestampMillis() / 1000.0);
      assertThat(got.scalars().keySet()).containsExactly("loss", "eval/acc");
      // boxed, so that NaN equals NaN
      assertThat(got.scalars().get("loss")).isEqualTo(Double.valueOf((float) (double) (Double) want.metrics().get("loss")));
      assertThat(got.scalars().get("eval/acc")).isEqualTo((double) (float) (want.step() * 0.125));
      if (want.step() % 10 == 0) {
        TbHistogram h = got.histograms().get("gpu_util");
        assertThat(h.min()).isEqualTo(76);
        assertThat(h.max()).isEqualTo(Math.max(82, 80 + want.step()));
        assertThat(h.num()).isEqualTo(4);
        assertThat(h.sum()).isEqualTo(78 + 82 + 76 + 80 + want.step());
        assertThat(h.bucketCounts()).hasSize(4);
        assertThat(java.util.Arrays.stream(h.bucketCounts()).sum()).isEqualTo(4);
        assertThat(h.bucketLimits()[3]).isEqualTo(h.max());
        assertThat(got.texts()).containsExactly(Map.entry("caption", "step " + want.step() + ": a cat ✓"));
      } else {
        assertThat(got.histograms()).isEmpty();
        assertThat(got.texts()).isEmpty();
      }
    }
    assertThat(withValues.get(7).scalars().get("loss")).isNaN();
    assertThat(withValues.get(8).scalars().get("loss")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(withValues.get(9).scalars().get("loss")).isEqualTo(Double.NEGATIVE_INFINITY);

    assertThat(read.get(0).fileVersion()).isEqualTo("brain.Event:2");
    assertThat(read.get(1).sessionLog()).isEqualTo("START");
    TbRecord preamble = read.get(2);
    assertThat(preamble.sessionStart().hparams()).containsOnly(
        Map.entry("model", "SDXL"), Map.entry("lora_rank", 64.0), Map.entry("batch_size", 32.0),
        Map.entry("optimizer/name", "adamw"), Map.entry("optimizer/lr", 1.0e-4));
    assertThat(preamble.sessionStart().groupName()).as("the run's folder, as Scalars names it").isEqualTo("exp/run-a");
    assertThat(preamble.sessionStart().startTimeSecs()).isEqualTo(TestRecords.START_MILLIS / 1000.0);
    assertThat(preamble.texts()).containsOnlyKeys(TensorBoardBackend.CONFIG_TAG);
    TbRecord last = read.get(read.size() - 1);
    assertThat(last.sessionEndStatus()).isEqualTo("FAILURE");
    assertThat(last.wallTime()).isEqualTo(Fixtures.NOW_MILLIS / 1000.0);
  }

  @Test
  void theReaderAgreesWithTheIndependentDecoderOnEveryRecord() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 300));
    backend.write(List.of(Fixtures.record(Fixtures.RUN, 300, "v", new double[] {1, 2, 3}, "t", "x")));
    backend.close(RunStatus.FINISHED);

    Path runDir = backend.runDirectory();
    List<TbEvent> independent = EventFiles.allEvents(runDir);
    List<TbRecord> read = new ArrayList<>();
    for (Path file : TensorBoardLogDir.eventFiles(runDir)) {
      try (EventFileReader reader = EventFileReader.open(file)) {
        for (TbRecord r; (r = reader.next()) != null; ) {
          read.add(r);
        }
      }
    }
    assertThat(read).hasSameSizeAs(independent);
    for (int i = 0; i < read.size(); i++) {
      TbEvent want = independent.get(i);
      TbRecord got = read.get(i);
      assertThat(got.wallTime()).isEqualTo(want.wallTime());
      assertThat(got.step()).isEqualTo(want.step());
      assertThat(got.fileVersion()).isEqualTo(want.fileVersion());
      Map<String, Double> scalars = new LinkedHashMap<>();
      for (TbEvent.Value v : want.values()) {
        if (v.simpleValue() != null) {
          scalars.put(v.tag(), (double) v.simpleValue());
        }
        if (v.histo() != null) {
          TbHistogram h = got.histograms().get(v.tag());
          assertThat(h.sum()).isEqualTo(v.histo().sum());
          assertThat(h.bucketLimits()).containsExactly(v.histo().bucketLimit().stream().mapToDouble(d -> d).toArray());
        }
      }
      assertThat(got.scalars()).isEqualTo(scalars);
      if (i > 0) {
        assertThat(got.offset()).isEqualTo(read.get(i - 1).endOffset());
      }
    }
  }
}
