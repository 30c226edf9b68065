package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes the backend writes for a fixed set of records, pinned by their SHA-256 as recorded on
 * 2026-12-05 from the backend that still wrote most records from templates (commit c2620a0), so a
 * change to the encoder that alters a single byte fails here. The HParams session start and the
 * config table are left out of the digest: their content is checked field by field elsewhere.
 */
class EncodedBytesTest {

  @TempDir
  Path dir;

  /** Writes {@code batches} to a new run and digests every record's data (its length first), in order. */
  private String digestOfRun(List<List<LogRecord>> batches) throws Exception {
    TensorBoardBackend backend = Fixtures.backend(dir, Fixtures.RUN);
    backend.open();
    for (List<LogRecord> batch : batches) {
      backend.write(batch);
    }
    backend.close(RunStatus.FINISHED);
    List<Path> files = EventFiles.list(backend.runDirectory());
    assertThat(files).hasSize(1);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int records = 0;
    for (byte[] data : TfRecordReader.read(files.get(0)).records()) {
      if (TbEvent.parse(data).value(HParamsEncoder.SESSION_START_TAG) != null) {
        continue;
      }
      sha.update(ByteBuffer.allocate(4).putInt(data.length).array());
      sha.update(data);
      records++;
    }
    return records + " records, sha-256 " + HexFormat.of().formatHex(sha.digest());
  }

  private static LogRecord record(long step, boolean asMetricMap, Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return TestRecords.record(Fixtures.RUN, step, asMetricMap ? MetricMap.copyOf(m) : Collections.unmodifiableMap(m));
  }

  @Test
  void aTrainingRunOfMixedShapesIsWrittenByteForByteAsBefore() throws Exception {
    List<List<LogRecord>> batches = new ArrayList<>();
    List<LogRecord> batch = new ArrayList<>();
    Random random = new Random(42);
    String longKey = "a_tag_long_enough_to_need_more_than_one_word_";
    for (long step = 0; step < 20_000; step++) {
      double loss = random.nextGaussian();
      boolean metricMap = step % 3 != 0;
      if (step % 100 == 50) {
        // an evaluation between training steps
        batch.add(record(step, metricMap, "eval/loss", loss, "eval/accuracy", 0.5));
      } else if (step % 997 == 0) {
        batch.add(record(step, metricMap, "loss", loss, "gpu_util", new double[] {70, 80}, "note", "text",
            "nested", Map.of("a", 1.5)));
      } else if (step % 1500 == 7) {
        batch.add(record(step, metricMap, "loss", Double.NaN, "lr", Double.POSITIVE_INFINITY,
            "min", Double.NEGATIVE_INFINITY));
      } else if (step >= 12_000 && step < 12_100) {
        // a summary of 128 bytes or more, whose length takes two bytes
        Object[] kv = new Object[16];
        for (int k = 0; k < 8; k++) {
          kv[2 * k] = longKey + k;
          kv[2 * k + 1] = loss * k;
        }
        batch.add(record(step, metricMap, kv));
      } else {
        batch.add(record(step, metricMap, "loss", loss, new String("lr"), 1e-4 * (step % 5), "grad_norm", -loss));
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
      resumed.add(record(step, true, "loss", 0.1, "lr", 0.2, "grad_norm", 0.3));
    }
    for (long step = 15_000; step < 15_020; step++) {
      resumed.add(record(step, true, "loss", 0.1, "lr", 0.2, "grad_norm", 0.3));
    }
    batches.add(resumed);

    assertThat(digestOfRun(batches))
        .isEqualTo("20045 records, sha-256 4afd6dc539b11354b124793da2ef056cd8db2105b7bb692225f87239e54d29ba");
  }

  @Test
  void stepsOfEveryVarintLengthAreWrittenByteForByteAsBefore() throws Exception {
    List<List<LogRecord>> batches = new ArrayList<>();
    for (int bits = 6; bits <= 62; bits++) {
      List<LogRecord> batch = new ArrayList<>();
      long around = 1L << bits;
      for (long step = around - 3; step < around + 3; step++) {
        batch.add(record(step, true, "loss", (double) step));
      }
      batches.add(batch);
    }

    assertThat(digestOfRun(batches))
        .isEqualTo("345 records, sha-256 08b2a07e174102d41fafedac27ba4be2474eb6322f2909fb02fd6ea510e32507");
  }
}
