package dev.trainlog.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalarTemplateTest {

  @TempDir
  Path dir;

  /** Writes {@code batches} once with templates and once with the encoder alone; returns both files' bytes. */
  private byte[][] bothWays(List<List<LogRecord>> batches, long[] fromTemplates) throws Exception {
    byte[][] files = new byte[2][];
    for (int way = 0; way < 2; way++) {
      TensorBoardBackend backend = Fixtures.backend(dir.resolve("way" + way), Fixtures.RUN);
      if (way == 1) {
        backend.withoutTemplates();
      }
      backend.open();
      for (List<LogRecord> batch : batches) {
        backend.write(batch);
      }
      fromTemplates[way] = backend.recordsFromTemplates();
      backend.close(RunStatus.FINISHED);
      List<Path> written = EventFiles.list(backend.runDirectory());
      assertThat(written).hasSize(1);
      files[way] = Files.readAllBytes(written.get(0));
    }
    return files;
  }

  private static LogRecord scalars(long step, boolean asMetricMap, Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return TestRecords.record(Fixtures.RUN, step, asMetricMap ? MetricMap.copyOf(m) : Collections.unmodifiableMap(m));
  }

  @Test
  void recordsWrittenFromTemplatesAreByteForByteWhatTheEncoderWrites() throws Exception {
    List<List<LogRecord>> batches = new ArrayList<>();
    List<LogRecord> batch = new ArrayList<>();
    Random random = new Random(42);
    StringBuilder longKey = new StringBuilder("a_tag_long_enough_to_need_more_than_one_word_");
    for (long step = 0; step < 20_000; step++) {
      double loss = random.nextGaussian();
      boolean metricMap = step % 3 != 0;
      if (step % 100 == 50) {
        // an evaluation between training steps: a second shape taking turns with the first
        batch.add(scalars(step, metricMap, "eval/loss", loss, "eval/accuracy", 0.5));
      } else if (step % 997 == 0) {
        batch.add(scalars(step, metricMap, "loss", loss, "gpu_util", new double[] {70, 80}, "note", "text"));
      } else if (step % 1500 == 7) {
        batch.add(scalars(step, metricMap, "loss", Double.NaN, "lr", Double.POSITIVE_INFINITY));
      } else if (step >= 12_000 && step < 12_100) {
        // a summary of 128 bytes or more, whose length takes two bytes
        Object[] kv = new Object[16];
        for (int k = 0; k < 8; k++) {
          kv[2 * k] = longKey + Integer.toString(k);
          kv[2 * k + 1] = loss * k;
        }
        batch.add(scalars(step, metricMap, kv));
      } else {
        // keys equal to the template's, but new strings every step
        batch.add(scalars(step, metricMap, "loss", loss, new String("lr"), 1e-4 * (step % 5), "grad_norm", -loss));
      }
      if (batch.size() == 1 + random.nextInt(700)) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    batches.add(batch);
    // a resumed run: steps going back in the middle of a batch
    List<LogRecord> resumed = new ArrayList<>();
    for (long step = 19_990; step < 20_010; step++) {
      resumed.add(scalars(step, true, "loss", 0.1, "lr", 0.2, "grad_norm", 0.3));
    }
    for (long step = 15_000; step < 15_020; step++) {
      resumed.add(scalars(step, true, "loss", 0.1, "lr", 0.2, "grad_norm", 0.3));
    }
    batches.add(resumed);

    long[] fromTemplates = new long[2];
    byte[][] files = bothWays(batches, fromTemplates);

    assertThat(files[0]).isEqualTo(files[1]);
    assertThat(fromTemplates[1]).isZero();
    assertThat(fromTemplates[0]).as("records written from templates").isGreaterThan(19_000);
  }

  @Test
  void stepsCrossingEveryVarintLengthAreWrittenLikeTheEncoder() throws Exception {
    List<List<LogRecord>> batches = new ArrayList<>();
    for (int bits = 6; bits <= 62; bits++) {
      List<LogRecord> batch = new ArrayList<>();
      long around = 1L << bits;
      for (long step = around - 3; step < around + 3; step++) {
        batch.add(scalars(step, true, "loss", (double) step));
      }
      batches.add(batch);
    }
    long[] fromTemplates = new long[2];

    byte[][] files = bothWays(batches, fromTemplates);

    assertThat(files[0]).isEqualTo(files[1]);
    assertThat(fromTemplates[0]).isPositive();
  }

  @Test
  void anIndependentReaderSeesEveryTemplatedStepWithItsValuesAndTime() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(dir, Fixtures.RUN);
    backend.open();
    List<LogRecord> batch = new ArrayList<>();
    for (long step = 0; step < 3000; step++) {
      batch.add(scalars(step, true, "loss", 1.0 / (step + 1), "train/lr", step * 1e-6));
    }
    backend.write(batch);
    long fromTemplates = backend.recordsFromTemplates();
    backend.close(RunStatus.FINISHED);

    List<TbEvent> events = Fixtures.recordEvents(backend.runDirectory());
    assertThat(fromTemplates).isGreaterThan(2990);
    assertThat(events).hasSize(3000);
    for (int step = 0; step < 3000; step++) {
      TbEvent e = events.get(step);
      assertThat(e.step()).isEqualTo(step);
      assertThat(e.wallTime()).isEqualTo((TestRecords.START_MILLIS + step * 1000L) / 1000.0);
      assertThat(e.values()).extracting(TbEvent.Value::tag).containsExactly("loss", "train/lr");
      assertThat(e.values()).extracting(TbEvent.Value::simpleValue)
          .containsExactly((float) (1.0 / (step + 1)), (float) (step * 1e-6));
    }
  }

  @Test
  void theSpreadVarintMatchesTheEncodersForEveryLength() {
    Random random = new Random(7);
    byte[] expected = new byte[10];
    for (int i = 0; i < 10_000; i++) {
      long step = random.nextLong() >>> (8 + random.nextInt(56));
      int length = ProtoBuffer.putVarint(expected, 0, step);
      long continuation = length == 1 ? 0 : 0x8080_8080_8080_8080L >>> (8 * (9 - length));
      long word = ScalarTemplate.varint(step) | continuation;
      for (int b = 0; b < length; b++) {
        assertThat((byte) (word >>> (8 * b))).as("byte %d of step %d", b, step).isEqualTo(expected[b]);
      }
      assertThat(word >>> (8 * length - 1) >>> 1).as("bytes past step %d", step).isZero();
    }
  }
}
